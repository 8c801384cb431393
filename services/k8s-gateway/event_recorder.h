#pragma once
// RecordEvent: writes a core/v1 Event about an object, or counts a repeat on the earlier Event
// (PATCH of count and lastTimestamp) when EventCorrelator has seen it within 10 minutes.

#include <functional>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>

#include "absl/status/statusor.h"
#include "certforge/kube/v1/gateway.pb.h"
#include "services/k8s-gateway/event_correlator.h"
#include "services/k8s-gateway/kube_rest_client.h"

namespace certforge::k8sgw {

// "<object name>.<nanoseconds since the epoch, 16 hex digits>", as client-go names Events.
std::string EventName(const std::string& object_name, EventCorrelator::TimePoint at);
// Events about cluster-scoped objects live in "default", as with client-go.
std::string EventNamespace(const kube::v1::EventRequest& request);
// The Event object to create for a first occurrence.
nlohmann::json NewEventObject(const kube::v1::EventRequest& request, const std::string& name,
                              EventCorrelator::TimePoint now);

class EventRecorder {
 public:
  using Clock = std::function<EventCorrelator::TimePoint()>;
  explicit EventRecorder(KubeRestClient& client, Clock clock = nullptr, size_t capacity = 4096);

  absl::StatusOr<kube::v1::EventResponse> Record(const kube::v1::EventRequest& request);

 private:
  KubeRestClient& client_;
  Clock clock_;
  // Held across the API call: two racing repeats must not both create an Event. Events are
  // rare enough that serialising them costs nothing.
  std::mutex mu_;
  EventCorrelator correlator_;
};

}  // namespace certforge::k8sgw
