#include "lib/bus/broker_state.h"

#include <algorithm>

#include "absl/strings/escaping.h"
#include "spdlog/spdlog.h"

namespace certforge::bus {
namespace {

Envelope Control(Envelope::Kind kind) {
  Envelope envelope;
  envelope.set_kind(kind);
  return envelope;
}

}  // namespace

std::string WorkerName(const std::string& identity) { return absl::BytesToHexString(identity); }

BrokerState::BrokerState(BrokerTimings timings) : timings_(timings) {
  timings_.heartbeat_liveness = std::max(1, timings_.heartbeat_liveness);
}

BusClock::time_point BrokerState::Expiry(BusClock::time_point now) const {
  return now + timings_.heartbeat_interval * timings_.heartbeat_liveness;
}

BrokerActions BrokerState::Submit(const std::string& service, const std::string& job_type,
                                  const std::string& job_id, std::string payload,
                                  JobDoneCallback done, BusClock::time_point now) {
  BrokerActions actions;
  if (service.empty() || job_id.empty()) {
    actions.completions.push_back(
        {{job_id, absl::InvalidArgumentError("a job needs a service and an id"), ""}, {done}});
    return actions;
  }
  if (auto existing = jobs_.find(job_id); existing != jobs_.end()) {
    spdlog::debug("job {} already pending; another caller waits for it", job_id);
    existing->second.callbacks.push_back(std::move(done));
    return actions;
  }
  Job& job = jobs_[job_id];
  job.service = service;
  job.type = job_type;
  job.payload = std::move(payload);
  job.callbacks.push_back(std::move(done));
  services_[service].queue.push_back(job_id);
  spdlog::debug("job {} ({}) queued for {}", job_id, job_type, service);
  Dispatch(service, now, actions);
  return actions;
}

BrokerActions BrokerState::Cancel(const std::string& job_id, BusClock::time_point now) {
  BrokerActions actions;
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return actions;
  std::string service = it->second.service;
  if (it->second.worker.empty()) {
    std::erase(services_[service].queue, job_id);
  } else if (auto worker = workers_.find(it->second.worker); worker != workers_.end()) {
    worker->second.running.erase(job_id);  // the slot is free again; a late result is ignored
  }
  spdlog::debug("job {} cancelled", job_id);
  Complete(job_id, {job_id, absl::CancelledError("job cancelled"), ""}, actions);
  Dispatch(service, now, actions);
  return actions;
}

BrokerActions BrokerState::OnEnvelope(const std::string& worker, const Envelope& envelope,
                                      BusClock::time_point now) {
  BrokerActions actions;
  if (envelope.kind() == Envelope::READY) {
    OnReady(worker, envelope, now, actions);
    return actions;
  }
  auto it = workers_.find(worker);
  if (it == workers_.end()) {
    // A worker this broker does not know (it restarted, or dropped the worker): make it
    // re-register.
    if (envelope.kind() != Envelope::DISCONNECT) {
      actions.frames.push_back({worker, Control(Envelope::DISCONNECT)});
    }
    return actions;
  }
  it->second.expiry = Expiry(now);
  switch (envelope.kind()) {
    case Envelope::HEARTBEAT:
      break;
    case Envelope::RESULT:
      OnResult(worker, envelope, actions);
      Dispatch(it->second.service, now, actions);
      break;
    case Envelope::DISCONNECT: {
      std::string service = it->second.service;
      spdlog::info("bus worker {} of {} disconnected", WorkerName(worker), service);
      DropWorker(worker, false, actions);
      Dispatch(service, now, actions);
      break;
    }
    default:
      spdlog::warn("bus worker {} sent an unexpected {} frame", WorkerName(worker),
                   Envelope::Kind_Name(envelope.kind()));
  }
  return actions;
}

void BrokerState::OnReady(const std::string& worker, const Envelope& envelope,
                          BusClock::time_point now, BrokerActions& actions) {
  if (envelope.service().empty()) {
    spdlog::warn("bus worker {} announced no service; ignored", WorkerName(worker));
    return;
  }
  if (auto known = workers_.find(worker); known != workers_.end()) {
    std::string old_service = known->second.service;
    DropWorker(worker, false, actions);
    Dispatch(old_service, now, actions);
  }
  WorkerEntry& entry = workers_[worker];
  entry.service = envelope.service();
  entry.capacity = std::max<size_t>(1, envelope.capacity());
  entry.expiry = Expiry(now);
  entry.next_heartbeat = now + timings_.heartbeat_interval;
  services_[entry.service].workers.insert(worker);
  spdlog::info("bus worker {} ready for {} (capacity {})", WorkerName(worker), entry.service,
               entry.capacity);
  // An immediate heartbeat tells the worker it is connected.
  actions.frames.push_back({worker, Control(Envelope::HEARTBEAT)});
  Dispatch(entry.service, now, actions);
}

void BrokerState::OnResult(const std::string& worker, const Envelope& envelope,
                           BrokerActions& actions) {
  workers_[worker].running.erase(envelope.job_id());
  auto job = jobs_.find(envelope.job_id());
  if (job == jobs_.end() || job->second.worker != worker) {
    spdlog::debug("ignored a result for job {} from {}: not its current assignment",
                  envelope.job_id(), WorkerName(worker));
    return;
  }
  JobResult result{envelope.job_id(), ResultStatus(envelope), ""};
  if (result.status.ok()) result.payload = envelope.payload();
  spdlog::debug("job {} done on {}: {}", envelope.job_id(), WorkerName(worker),
                result.status.ToString());
  Complete(envelope.job_id(), std::move(result), actions);
}

BrokerActions BrokerState::OnTick(BusClock::time_point now) {
  BrokerActions actions;
  std::vector<std::string> silent;
  for (const auto& [id, worker] : workers_) {
    if (worker.expiry <= now) silent.push_back(id);
  }
  for (const auto& id : silent) {
    spdlog::info("bus worker {} of {} went silent; its jobs go to others", WorkerName(id),
                 workers_[id].service);
    DropWorker(id, true, actions);
  }
  for (auto& [id, worker] : workers_) {
    std::vector<std::string> overdue;
    for (const auto& [job_id, dispatched] : worker.running) {
      if (dispatched + timings_.job_timeout <= now) overdue.push_back(job_id);
    }
    for (const auto& job_id : overdue) {
      spdlog::warn("job {} timed out on bus worker {}; dispatching it again", job_id,
                   WorkerName(id));
      worker.running.erase(job_id);
      Job& job = jobs_.at(job_id);
      job.worker.clear();
      job.avoid_worker = id;
    }
    Requeue(worker.service, overdue);
    if (worker.next_heartbeat <= now) {
      actions.frames.push_back({id, Control(Envelope::HEARTBEAT)});
      worker.next_heartbeat = now + timings_.heartbeat_interval;
    }
  }
  for (const auto& [name, service] : services_) {
    if (!service.queue.empty()) Dispatch(name, now, actions);
  }
  return actions;
}

BrokerActions BrokerState::Shutdown() {
  BrokerActions actions;
  for (const auto& [id, worker] : workers_) {
    actions.frames.push_back({id, Control(Envelope::DISCONNECT)});
  }
  for (auto& [id, job] : jobs_) {
    actions.completions.push_back(
        {{id, absl::UnavailableError("job broker stopped"), ""}, std::move(job.callbacks)});
  }
  workers_.clear();
  services_.clear();
  jobs_.clear();
  return actions;
}

BusClock::time_point BrokerState::NextDeadline() const {
  auto next = BusClock::time_point::max();
  for (const auto& [id, worker] : workers_) {
    next = std::min({next, worker.expiry, worker.next_heartbeat});
    for (const auto& [job_id, dispatched] : worker.running) {
      next = std::min(next, dispatched + timings_.job_timeout);
    }
  }
  return next;
}

size_t BrokerState::WorkerCount(const std::string& service) const {
  auto it = services_.find(service);
  return it == services_.end() ? 0 : it->second.workers.size();
}

size_t BrokerState::PendingJobs(const std::string& service) const {
  auto it = services_.find(service);
  if (it == services_.end()) return 0;
  // Every running job sits in exactly one of its service's workers.
  size_t pending = it->second.queue.size();
  for (const auto& worker : it->second.workers) pending += workers_.at(worker).running.size();
  return pending;
}

size_t BrokerState::RunningOn(const std::string& worker) const {
  auto it = workers_.find(worker);
  return it == workers_.end() ? 0 : it->second.running.size();
}

void BrokerState::DropWorker(const std::string& worker, bool say_goodbye, BrokerActions& actions) {
  auto it = workers_.find(worker);
  if (it == workers_.end()) return;
  std::vector<std::pair<BusClock::time_point, std::string>> running;
  for (const auto& [job_id, dispatched] : it->second.running)
    running.push_back({dispatched, job_id});
  std::sort(running.begin(), running.end());
  std::vector<std::string> job_ids;
  for (auto& [dispatched, job_id] : running) {
    jobs_.at(job_id).worker.clear();
    job_ids.push_back(std::move(job_id));
  }
  services_[it->second.service].workers.erase(worker);
  Requeue(it->second.service, std::move(job_ids));
  if (say_goodbye) actions.frames.push_back({worker, Control(Envelope::DISCONNECT)});
  workers_.erase(it);
}

void BrokerState::Requeue(const std::string& service, std::vector<std::string> job_ids) {
  // They were dispatched before anything still queued, so they go first, oldest at the front.
  auto& queue = services_[service].queue;
  queue.insert(queue.begin(), job_ids.begin(), job_ids.end());
}

void BrokerState::Dispatch(const std::string& service_name, BusClock::time_point now,
                           BrokerActions& actions) {
  auto service = services_.find(service_name);
  if (service == services_.end()) return;
  auto& queue = service->second.queue;
  while (!queue.empty()) {
    Job& job = jobs_.at(queue.front());
    std::string worker_id;
    WorkerEntry* worker = PickWorker(service->second, job.avoid_worker, worker_id);
    if (worker == nullptr) return;
    std::string job_id = std::move(queue.front());
    queue.pop_front();
    job.worker = worker_id;
    worker->running[job_id] = now;
    Envelope envelope;
    envelope.set_kind(Envelope::JOB);
    envelope.set_service(service_name);
    envelope.set_job_id(job_id);
    envelope.set_job_type(job.type);
    envelope.set_payload(job.payload);
    spdlog::debug("job {} → bus worker {}", job_id, WorkerName(worker_id));
    actions.frames.push_back({worker_id, std::move(envelope)});
  }
}

BrokerState::WorkerEntry* BrokerState::PickWorker(const Service& service, const std::string& avoid,
                                                  std::string& id) {
  WorkerEntry* best = nullptr;
  size_t best_free = 0;
  WorkerEntry* fallback = nullptr;
  for (const auto& candidate : service.workers) {
    WorkerEntry& worker = workers_.at(candidate);
    size_t busy = worker.running.size();
    size_t free = worker.capacity > busy ? worker.capacity - busy : 0;
    if (free == 0) continue;
    if (candidate == avoid) {
      fallback = &worker;
      continue;
    }
    if (free > best_free) {
      best = &worker;
      best_free = free;
      id = candidate;
    }
  }
  // The worker a job timed out on gets it again only when no other worker has room.
  if (best == nullptr && fallback != nullptr) {
    id = avoid;
    return fallback;
  }
  return best;
}

void BrokerState::Complete(const std::string& job_id, JobResult result, BrokerActions& actions) {
  auto it = jobs_.find(job_id);
  if (it == jobs_.end()) return;
  actions.completions.push_back({std::move(result), std::move(it->second.callbacks)});
  jobs_.erase(it);
}

}  // namespace certforge::bus
