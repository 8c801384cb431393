#include "services/local-apiserver/watch_stream.h"

#include "lib/kube/json_parse.h"
#include "services/local-apiserver/api_error.h"
#include "services/local-apiserver/collection_lister.h"
#include "services/local-apiserver/table_converter.h"

namespace certforge::apiserver {
namespace {

using nlohmann::json;

constexpr auto kBookmarkInterval = std::chrono::seconds(60);
constexpr size_t kMaxWriteBytes = 256 * 1024;  // events gathered into one write

std::string Key(const std::string& ns, const std::string& name) { return ns + "/" + name; }

}  // namespace

WatchStream::WatchStream(const SqliteStore& store, WatchHub& hub, ResourceTypePtr type,
                         ObjectFilter filter, WatchRequest request)
    : store_(store),
      hub_(hub),
      type_(std::move(type)),
      filter_(std::move(filter)),
      request_(std::move(request)) {}

absl::Status WatchStream::Start() {
  const std::string& rv = request_.resource_version;
  from_current_state_ = rv.empty() || rv == "0" || request_.send_initial_events;
  if (!from_current_state_) {
    try {
      size_t used = 0;
      start_rv_ = std::stoll(rv, &used);
      if (used != rv.size() || start_rv_ < 0) throw std::invalid_argument(rv);
    } catch (const std::exception&) {
      return BadRequestError("invalid resource version: " + rv);
    }
  }
  subscription_ = hub_.Subscribe(type_->StorageKey(), type_->namespaced ? request_.ns : "");
  return absl::OkStatus();
}

bool WatchStream::Emit(const char* type, const json& object, const std::string& body,
                       const std::function<bool(std::string_view)>& write) {
  std::string line = std::string(R"({"type":")") + type + R"(","object":)";
  if (request_.table) {
    json rows = json::array({TableRow(*type_, object, std::chrono::system_clock::now())});
    line += MakeTable(*type_, std::move(rows), object["metadata"].value("resourceVersion", ""), "")
                .dump();
  } else {
    line += ServedBody(*type_, body);
  }
  line += "}\n";
  return write(line);
}

bool WatchStream::Deliver(ChangeType change, const std::string& key, const json& object,
                          const std::string& body,
                          const std::function<bool(std::string_view)>& write) {
  if (filter_.matches_everything()) return Emit(ChangeTypeName(change), object, body, write);
  bool matches = filter_.Matches(object);
  bool was = visible_.count(key) > 0;
  switch (change) {
    case ChangeType::kAdded:
      if (!matches) return true;
      visible_.insert(key);
      return Emit("ADDED", object, body, write);
    case ChangeType::kModified:
      if (matches) {
        visible_.insert(key);
        // Resumed watches cannot know what the client saw before: MODIFIED is the safe word.
        return Emit(was || !from_current_state_ ? "MODIFIED" : "ADDED", object, body, write);
      }
      if (!was) return true;
      visible_.erase(key);
      return Emit("DELETED", object, body, write);
    case ChangeType::kDeleted:
      if (!was && !matches) return true;
      visible_.erase(key);
      return Emit("DELETED", object, body, write);
  }
  return true;
}

bool WatchStream::SendBookmark(int64_t rv, bool initial_events_end,
                               const std::function<bool(std::string_view)>& write) {
  json meta = {{"resourceVersion", std::to_string(rv)}};
  if (initial_events_end) meta["annotations"] = {{"k8s.io/initial-events-end", "true"}};
  json object = {{"kind", type_->kind}, {"apiVersion", type_->ApiVersion()}, {"metadata", meta}};
  return write(R"({"type":"BOOKMARK","object":)" + object.dump() + "}\n");
}

bool WatchStream::SendInitialState(const std::function<bool(std::string_view)>& write) {
  const std::string ns = type_->namespaced ? request_.ns : "";
  bool open = true;
  if (from_current_state_) {
    ListQuery query{type_->StorageKey(), ns, "", "", 0};
    auto rev = store_.List(query, [&](ObjectRecord&& record) {
      if (!filter_.Matches(record)) return true;
      auto object = kube::ParseJson(record.body);
      if (!filter_.matches_everything()) visible_.insert(Key(record.ns, record.name));
      open = Emit("ADDED", object, record.body, write);
      return open;
    });
    if (!rev.ok() || !open) return false;
    delivered_rv_ = *rev;
    if (request_.send_initial_events && request_.allow_bookmarks) {
      return SendBookmark(delivered_rv_, true, write);
    }
    return true;
  }
  if (start_rv_ < store_.compacted_revision()) {
    json status =
        RenderStatus(ExpiredError("too old resource version: " + std::to_string(start_rv_) + " (" +
                                  std::to_string(store_.compacted_revision() + 1) + ")"))
            .body;
    write(R"({"type":"ERROR","object":)" + status.dump() + "}\n");
    return false;
  }
  auto rev = store_.ChangesSince(type_->StorageKey(), start_rv_, [&](ChangeRecord&& change) {
    if (!ns.empty() && change.ns != ns) return true;
    auto object = kube::ParseJson(change.body);
    open = Deliver(change.type, Key(change.ns, change.name), object, change.body, write);
    return open;
  });
  if (!rev.ok() || !open) return false;
  delivered_rv_ = std::max(*rev, start_rv_);
  return true;
}

void WatchStream::Run(const std::function<bool(std::string_view)>& write,
                      const std::function<bool()>& still_wanted) {
  if (!SendInitialState(write)) return;
  auto deadline = std::chrono::steady_clock::now() + request_.timeout;
  auto next_bookmark = std::chrono::steady_clock::now() + kBookmarkInterval;
  WatchChange change;
  while (std::chrono::steady_clock::now() < deadline) {
    auto wait = subscription_->Next(std::chrono::seconds(1), &change);
    if (wait == WatchSubscription::Wait::kClosed) return;
    if (wait == WatchSubscription::Wait::kChange) {
      // Whatever else is already queued (a group commit publishes several changes at once)
      // goes out in the same write: one chunk, one send, one wake-up of the watcher.
      std::string lines;
      auto buffer = [&lines](std::string_view line) {
        lines.append(line);
        return true;
      };
      do {
        if (change.rv <= delivered_rv_) continue;  // already in the initial state
        Deliver(change.type, Key(change.ns, (*change.object)["metadata"].value("name", "")),
                *change.object, *change.body, buffer);
        delivered_rv_ = change.rv;
      } while (lines.size() < kMaxWriteBytes &&
               subscription_->Next(std::chrono::milliseconds(0), &change) ==
                   WatchSubscription::Wait::kChange);
      if (!lines.empty() && !write(lines)) return;
      continue;
    }
    if (!still_wanted()) return;
    if (request_.allow_bookmarks && std::chrono::steady_clock::now() >= next_bookmark) {
      next_bookmark = std::chrono::steady_clock::now() + kBookmarkInterval;
      int64_t quiet = subscription_->QuietRevision();
      if (!SendBookmark(std::max(quiet, delivered_rv_), false, write)) return;
    }
  }
}

}  // namespace certforge::apiserver
