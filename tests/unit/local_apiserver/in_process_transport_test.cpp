// InProcessTransport hands the gateway's requests to a handler as httplib would have parsed them
// off the wire, and brings back whole and streamed bodies, errors and cancellation.

#include "services/local-apiserver/in_process_transport.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace certforge::apiserver {
namespace {

TEST(InProcessTransportTest, RequestArrivesDecodedAsOffTheWire) {
  httplib::Request seen;
  InProcessTransport transport([&](const httplib::Request& req, httplib::Response& res) {
    seen = req;
    res.status = 201;
    res.set_content("{\"kind\":\"Secret\"}", "application/json");
  });
  auto response =
      transport.Send({.method = "PATCH",
                      .target = "/api/v1/namespaces/a%2Db/secrets?labelSelector=app%3Dweb"
                                "%2Ctier%20in%20(x)&dryRun=All",
                      .content_type = "application/merge-patch+json",
                      .body = "{\"data\":{}}"});
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->code, 201);
  EXPECT_EQ(response->body, "{\"kind\":\"Secret\"}");
  EXPECT_EQ(seen.method, "PATCH");
  EXPECT_EQ(seen.path, "/api/v1/namespaces/a-b/secrets");
  EXPECT_EQ(seen.get_param_value("labelSelector"), "app=web,tier in (x)");
  EXPECT_EQ(seen.get_param_value("dryRun"), "All");
  EXPECT_EQ(seen.get_header_value("Content-Type"), "application/merge-patch+json");
  EXPECT_EQ(seen.body, "{\"data\":{}}");
}

TEST(InProcessTransportTest, StreamedBodyIsCollectedWhole) {
  InProcessTransport transport([](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_chunked_content_provider("application/json", [](size_t, httplib::DataSink& sink) {
      sink.write("{\"items\":", 9);
      sink.write("[]}", 3);
      sink.done();
      return true;
    });
  });
  auto response = transport.Send({.target = "/api/v1/secrets"});
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->body, "{\"items\":[]}");
}

TEST(InProcessTransportTest, ErrorResponseComesBackWholeWithoutStreaming) {
  InProcessTransport transport([](const httplib::Request&, httplib::Response& res) {
    res.status = 404;
    res.set_content("{\"kind\":\"Status\",\"reason\":\"NotFound\"}", "application/json");
  });
  int pieces = 0;
  auto response = transport.Stream(
      {.target = "/api/v1/secrets?watch=true"}, [&](std::string_view) { return ++pieces > 0; },
      [] { return false; });
  ASSERT_TRUE(response.ok()) << response.status();
  EXPECT_EQ(response->code, 404);
  EXPECT_NE(response->body.find("NotFound"), std::string::npos);
  EXPECT_EQ(pieces, 0);
}

// A watch whose reader has gone (or was cancelled) is told so at its next write or liveness
// check, and the transport reports Cancelled.
TEST(InProcessTransportTest, CancelledStreamStopsTheProvider) {
  int writes_accepted = 0;
  bool asked_while_idle = false;
  InProcessTransport transport([&](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_chunked_content_provider("application/json", [&](size_t, httplib::DataSink& sink) {
      while (sink.write("x\n", 2)) ++writes_accepted;
      asked_while_idle = !sink.is_writable();
      return true;
    });
  });
  std::vector<std::string> received;
  auto response = transport.Stream(
      {.target = "/api/v1/secrets?watch=true"},
      [&](std::string_view piece) {
        received.emplace_back(piece);
        return received.size() < 3;
      },
      [] { return false; });
  EXPECT_EQ(response.status().code(), absl::StatusCode::kCancelled);
  EXPECT_EQ(received.size(), 3u);
  EXPECT_EQ(writes_accepted, 2);
  EXPECT_TRUE(asked_while_idle);

  bool cancelled = false;
  InProcessTransport idle([&](const httplib::Request&, httplib::Response& res) {
    res.status = 200;
    res.set_chunked_content_provider("application/json", [&](size_t, httplib::DataSink& sink) {
      while (sink.is_writable()) cancelled = true;  // the watcher cancels while nothing flows
      return true;
    });
  });
  auto ended = idle.Stream(
      {.target = "/api/v1/secrets?watch=true"}, [](std::string_view) { return true; },
      [&] { return cancelled; });
  EXPECT_EQ(ended.status().code(), absl::StatusCode::kCancelled);
}

}  // namespace
}  // namespace certforge::apiserver
