#include "services/k8s-gateway/event_recorder.h"

#include <cinttypes>
#include <cstdio>

#include "lib/core/time_format.h"

namespace certforge::k8sgw {
namespace {

const ResourcePath kEvents{.version = "v1", .resource = "events"};

ResourcePath EventPath(const std::string& namespace_, const std::string& name) {
  ResourcePath path = kEvents;
  path.namespace_ = namespace_;
  path.name = name;
  return path;
}

}  // namespace

std::string EventName(const std::string& object_name, EventCorrelator::TimePoint at) {
  auto nanos = std::chrono::duration_cast<std::chrono::nanoseconds>(at.time_since_epoch()).count();
  char hex[17];
  std::snprintf(hex, sizeof(hex), "%016" PRIx64, static_cast<uint64_t>(nanos));
  return object_name + "." + hex;
}

std::string EventNamespace(const kube::v1::EventRequest& request) {
  const std::string& ns = request.involved_object().namespace_();
  return ns.empty() ? "default" : ns;
}

nlohmann::json NewEventObject(const kube::v1::EventRequest& request, const std::string& name,
                              EventCorrelator::TimePoint now) {
  const auto& object = request.involved_object();
  nlohmann::json involved = {
      {"apiVersion", object.api_version()}, {"kind", object.kind()}, {"name", object.name()}};
  if (!object.namespace_().empty()) involved["namespace"] = object.namespace_();
  if (!object.uid().empty()) involved["uid"] = object.uid();
  if (!object.resource_version().empty()) involved["resourceVersion"] = object.resource_version();
  std::string timestamp = core::FormatRfc3339(now);
  return {{"apiVersion", "v1"},
          {"kind", "Event"},
          {"metadata", {{"name", name}, {"namespace", EventNamespace(request)}}},
          {"involvedObject", involved},
          {"reason", request.reason()},
          {"message", request.message()},
          {"type", request.type().empty() ? "Normal" : request.type()},
          {"source", {{"component", request.component()}}},
          {"firstTimestamp", timestamp},
          {"lastTimestamp", timestamp},
          {"count", 1},
          {"reportingComponent", request.component()},
          {"reportingInstance", ""}};
}

EventRecorder::EventRecorder(KubeRestClient& client, Clock clock, size_t capacity)
    : client_(client),
      clock_(clock ? std::move(clock) : Clock([] { return std::chrono::system_clock::now(); })),
      correlator_(capacity) {}

absl::StatusOr<kube::v1::EventResponse> EventRecorder::Record(
    const kube::v1::EventRequest& request) {
  const auto& object = request.involved_object();
  if (object.name().empty() || object.kind().empty()) {
    return absl::InvalidArgumentError("an event needs involved_object.kind and .name");
  }
  if (request.reason().empty()) return absl::InvalidArgumentError("an event needs a reason");
  const std::string key = EventCorrelationKey(request);
  std::lock_guard<std::mutex> lock(mu_);
  auto now = clock_();
  kube::v1::EventResponse response;
  if (auto seen = correlator_.Find(key, now)) {
    nlohmann::json patch = {{"count", seen->count + 1},
                            {"lastTimestamp", core::FormatRfc3339(now)}};
    auto patched = client_.Patch(EventPath(seen->namespace_, seen->name), patch.dump(),
                                 {.type = PatchType::kMerge});
    if (patched.ok()) {
      seen->count += 1;
      seen->last_seen = now;
      response.set_name(seen->name);
      response.set_count(seen->count);
      correlator_.Remember(key, *seen);
      return response;
    }
    if (patched.status().code() != absl::StatusCode::kNotFound) return patched.status();
    correlator_.Forget(key);  // the Event was deleted (or expired): start a new one
  }
  std::string name = EventName(object.name(), now);
  std::string ns = EventNamespace(request);
  auto created = client_.Create(EventPath(ns, ""), NewEventObject(request, name, now).dump(), {});
  if (!created.ok()) return created.status();
  correlator_.Remember(key, {.namespace_ = ns, .name = name, .count = 1, .last_seen = now});
  response.set_name(name);
  response.set_count(1);
  return response;
}

}  // namespace certforge::k8sgw
