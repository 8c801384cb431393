#pragma once
// /healthz (the process is serving) and /readyz (its dependencies answer), as every service has.

#include <functional>
#include <string>

#include "httplib.h"

namespace certforge::http {

// `ready` returns an empty string when ready, else why not (served with 503).
void AddHealthEndpoints(httplib::Server& server, std::function<std::string()> ready);

}  // namespace certforge::http
