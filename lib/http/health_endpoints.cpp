#include "lib/http/health_endpoints.h"

namespace certforge::http {

void AddHealthEndpoints(httplib::Server& server, std::function<std::string()> ready) {
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  server.Get("/livez", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok", "text/plain");
  });
  server.Get("/readyz", [ready](const httplib::Request&, httplib::Response& res) {
    std::string why = ready ? ready() : std::string();
    if (why.empty()) {
      res.set_content("ok", "text/plain");
    } else {
      res.status = 503;
      res.set_content("not ready: " + why, "text/plain");
    }
  });
}

}  // namespace certforge::http
