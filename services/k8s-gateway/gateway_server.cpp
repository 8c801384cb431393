#include "services/k8s-gateway/gateway_server.h"

#include <gperftools/malloc_extension.h>
#include <sys/stat.h>

#include "absl/synchronization/mutex.h"
#include "lib/core/host_port.h"
#include "spdlog/spdlog.h"

namespace certforge::k8sgw {
namespace {

constexpr int kMaxMessageBytes = 64 << 20;  // a full list of large objects fits

bool IsUnixAddress(const std::string& address) { return address.rfind("unix:", 0) == 0; }

}  // namespace

absl::StatusOr<GatewayServer> StartGatewayServer(GatewayService& service,
                                                 const std::vector<std::string>& addresses,
                                                 size_t thread_cache_bytes) {
  if (addresses.empty()) return absl::InvalidArgumentError("no address to serve gRPC on");
  for (const std::string& address : addresses) {
    if (IsUnixAddress(address)) continue;
    if (auto parsed = core::ParseHostPort(address); !parsed.ok()) {
      return absl::InvalidArgumentError(address + ": " + std::string(parsed.status().message()));
    }
  }
  // Debian builds Abseil with Mutex deadlock detection on; gRPC's locks then pay for a lock
  // graph on every acquisition.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  MallocExtension::instance()->SetNumericProperty("tcmalloc.max_total_thread_cache_bytes",
                                                  thread_cache_bytes);

  // gRPC reports the port each address got (1 for a Unix socket, 0 when it cannot listen).
  std::vector<int> selected_ports(addresses.size(), 0);
  grpc::ServerBuilder builder;
  for (size_t i = 0; i < addresses.size(); ++i) {
    builder.AddListeningPort(addresses[i], grpc::InsecureServerCredentials(), &selected_ports[i]);
  }
  builder.RegisterService(&service);
  builder.SetMaxSendMessageSize(kMaxMessageBytes);
  builder.SetMaxReceiveMessageSize(kMaxMessageBytes);
  // Pings find clients that vanished without closing, so their watches end.
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_TIME_MS, 30000);
  builder.AddChannelArgument(GRPC_ARG_KEEPALIVE_PERMIT_WITHOUT_CALLS, 1);
  builder.AddChannelArgument(GRPC_ARG_HTTP2_MIN_RECV_PING_INTERVAL_WITHOUT_DATA_MS, 10000);
  // The synchronous server keeps at most MAX_POLLERS idle threads and makes a new one for each
  // call beyond them. The controller writes from up to five workers per controller, about 40
  // calls at once under load: with fewer idle threads than that, threads were made and joined
  // all the time (200 in 3 s with 16).
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MIN_POLLERS, 2);
  builder.SetSyncServerOption(grpc::ServerBuilder::SyncServerOption::MAX_POLLERS, 64);
  GatewayServer result;
  result.server = builder.BuildAndStart();
  if (!result.server) return absl::UnavailableError("cannot start the gRPC server");
  for (size_t i = 0; i < addresses.size(); ++i) {
    if (selected_ports[i] == 0) {
      result.server->Shutdown();
      return absl::UnavailableError("cannot listen for gRPC on " + addresses[i]);
    }
    bool tcp = !IsUnixAddress(addresses[i]);
    // The API answers without credentials of its own: its socket is for this user alone.
    if (!tcp && chmod(addresses[i].c_str() + 5, 0600) != 0) {
      result.server->Shutdown();
      return absl::PermissionDeniedError("cannot restrict " + addresses[i] + " to its owner");
    }
    if (tcp && result.first_tcp_port == 0) result.first_tcp_port = selected_ports[i];
    spdlog::info("serving gRPC on {}",
                 tcp ? "port " + std::to_string(selected_ports[i]) : addresses[i]);
  }
  return result;
}

}  // namespace certforge::k8sgw
