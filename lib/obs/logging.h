#pragma once
// Structured logs for every service: one line per record, "key=value" fields after the message
// ("text") or one JSON object per line ("json"). Never pass private keys, account keys, tokens
// or TSIG secrets to a log call.

#include <string>
#include <string_view>

#include "spdlog/spdlog.h"

namespace certforge::obs {

// Sets the process-wide default logger. `level`: trace, debug, info, warn, error.
// `format`: "text" or "json". Unknown values fall back to info / text.
void InitLogging(std::string_view service, std::string_view level = "info",
                 std::string_view format = "text");

}  // namespace certforge::obs
