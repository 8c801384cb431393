#include "services/k8s-gateway/watch_session.h"

#include <thread>

#include "lib/kube/json_parse.h"
#include "services/k8s-gateway/http_error_mapping.h"
#include "services/k8s-gateway/json_members.h"
#include "spdlog/spdlog.h"

namespace certforge::k8sgw {
namespace {

// Errors that a retry can cure: the API server is down, restarting or overloaded.
bool Transient(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kResourceExhausted:
    case absl::StatusCode::kUnknown:
      return true;
    default:
      return false;
  }
}

}  // namespace

WatchSession::WatchSession(KubeRestClient& client, ResourcePath collection,
                           kube::v1::WatchRequest request, std::function<bool()> stop, Emit emit,
                           Options options)
    : client_(client),
      collection_(std::move(collection)),
      request_(std::move(request)),
      stop_(std::move(stop)),
      emit_(std::move(emit)),
      options_(std::move(options)),
      resource_version_(request_.list_first() ? "" : request_.resource_version()) {}

absl::Status WatchSession::Run() {
  bool need_list = request_.list_first();
  while (!Stopped()) {
    if (need_list) {
      absl::Status listed = Relist();
      if (Stopped()) break;
      if (listed.ok()) {
        need_list = false;
        started_ = true;
        options_.backoff.Reset();
        continue;
      }
      if (!started_ && !Transient(listed) && !IsExpired(listed)) return listed;
      spdlog::warn("watch {}: list failed, retrying: {}", collection_.resource,
                   std::string(listed.message()));
      if (!Sleep(options_.backoff.Next())) break;
      continue;
    }
    progressed_ = false;
    auto began = std::chrono::steady_clock::now();
    WatchOptions watch{.label_selector = request_.label_selector(),
                       .field_selector = request_.field_selector(),
                       .resource_version = resource_version_,
                       .timeout = options_.watch_timeout};
    absl::Status ended = client_.Watch(
        collection_, watch, [this](const RawWatchEvent& event) { return OnEvent(event); },
        [this] { return Stopped(); });
    if (Stopped()) break;
    if (progressed_) {
      started_ = true;
      options_.backoff.Reset();
    }
    if (ended.ok()) {  // the server's timeoutSeconds ran out: carry on at once
      started_ = true;
      // ...unless it closes watches at once without a word: do not spin on it.
      bool suspicious =
          !progressed_ && std::chrono::steady_clock::now() - began < std::chrono::seconds(1);
      if (!suspicious) {
        options_.backoff.Reset();
      } else if (!Sleep(options_.backoff.Next())) {
        break;
      }
      continue;
    }
    if (IsExpired(ended)) {
      spdlog::info("watch {}: resourceVersion {} expired, relisting", collection_.resource,
                   resource_version_);
      need_list = true;
      started_ = true;
      continue;
    }
    if (!started_ && !Transient(ended)) return ended;
    spdlog::info("watch {}: stream ended, resuming from resourceVersion {}: {}",
                 collection_.resource, resource_version_, std::string(ended.message()));
    if (!Sleep(options_.backoff.Next())) break;
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<std::string>> WatchSession::ListAll(std::string* list_rv) {
  std::vector<std::string> items;
  ListOptions options{.label_selector = request_.label_selector(),
                      .field_selector = request_.field_selector(),
                      .limit = options_.page_size};
  list_rv->clear();
  while (true) {
    auto page = client_.List(collection_, options);
    if (!page.ok()) {
      if (IsExpired(page.status()) && !options.continue_token.empty()) {
        // The continue token outlived its snapshot: take one list without pages.
        items.clear();
        list_rv->clear();
        options.continue_token.clear();
        options.limit = 0;
        continue;
      }
      return page.status();
    }
    if (list_rv->empty()) *list_rv = page->resource_version;
    if (!page->kind.empty() && kind_.empty()) {
      kind_ = page->kind;
      api_version_ = page->api_version;
    }
    for (auto& item : page->items) items.push_back(std::move(item));
    if (page->continue_token.empty() || Stopped()) break;
    options.continue_token = page->continue_token;
  }
  return items;
}

absl::Status WatchSession::Relist() {
  std::string list_rv;
  auto items = ListAll(&list_rv);
  if (!items.ok()) return items.status();
  if (Stopped()) return absl::OkStatus();
  DeliveredIndex next;
  for (const kube::v1::WatchEvent& event :
       RelistDiff(delivered_, *items, list_rv, api_version_, kind_, &next)) {
    if (!Send(event)) return absl::OkStatus();
  }
  delivered_ = std::move(next);
  resource_version_ = list_rv;
  kube::v1::WatchEvent bookmark;
  bookmark.set_type(kube::v1::WatchEvent::BOOKMARK);
  bookmark.set_resource_version(list_rv);
  bookmark.set_initial_events_end(true);
  nlohmann::json object = {
      {"apiVersion", api_version_}, {"kind", kind_}, {"metadata", {{"resourceVersion", list_rv}}}};
  bookmark.set_object_json(object.dump());
  Send(bookmark);
  return absl::OkStatus();
}

bool WatchSession::OnEvent(const RawWatchEvent& event) {
  const std::string& type = event.type;
  const nlohmann::json object = ObjectHead(event.object);
  if (!object.is_object()) return true;
  std::string rv = ResourceVersionOf(object);
  LearnType(object);
  kube::v1::WatchEvent out;
  out.set_resource_version(rv);
  if (type == "BOOKMARK") {
    if (!rv.empty()) resource_version_ = rv;
    progressed_ = true;
    if (!request_.allow_bookmarks()) return true;
    out.set_type(kube::v1::WatchEvent::BOOKMARK);
    out.set_object_json(std::string(event.object));
    return Send(out);
  }
  std::string key = IndexKey(object);
  if (type == "ADDED" || type == "MODIFIED") {
    auto [it, inserted] = delivered_.try_emplace(key, rv);
    if (!inserted && it->second == rv) return true;  // already delivered at this version
    it->second = rv;
    out.set_type(type == "ADDED" ? kube::v1::WatchEvent::ADDED : kube::v1::WatchEvent::MODIFIED);
  } else if (type == "DELETED") {
    delivered_.erase(key);
    out.set_type(kube::v1::WatchEvent::DELETED);
  } else {
    return true;  // an event type this gateway does not know: skip it
  }
  if (!rv.empty()) resource_version_ = rv;
  progressed_ = true;
  out.set_object_json(std::string(event.object));
  return Send(out);
}

bool WatchSession::Send(const kube::v1::WatchEvent& event) {
  if (client_gone_) return false;
  if (!emit_(event)) client_gone_ = true;
  return !client_gone_;
}

void WatchSession::LearnType(const nlohmann::json& object) {
  if (!kind_.empty()) return;
  auto kind = object.find("kind");
  auto api_version = object.find("apiVersion");
  if (kind != object.end() && kind->is_string() && api_version != object.end() &&
      api_version->is_string()) {
    kind_ = kind->get<std::string>();
    api_version_ = api_version->get<std::string>();
  }
}

bool WatchSession::Sleep(std::chrono::milliseconds delay) {
  const auto until = std::chrono::steady_clock::now() + delay;
  while (!Stopped()) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        until - std::chrono::steady_clock::now());
    if (left.count() <= 0) return true;
    std::this_thread::sleep_for(std::min(left, std::chrono::milliseconds(20)));
  }
  return false;
}

}  // namespace certforge::k8sgw
