#pragma once
// A list response streamed straight from one store snapshot: a list of 30,000 Secrets never
// sits in memory whole. Supports limit/continue paging and Table output.

#include <functional>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/local-apiserver/object_filter.h"
#include "services/local-apiserver/resource_type.h"
#include "services/local-apiserver/sqlite_store.h"

namespace certforge::apiserver {

struct ListRequest {
  std::string ns;  // "" = every namespace
  size_t limit = 0;
  std::string continue_token;
  bool table = false;
};

class CollectionLister {
 public:
  // Checks the request (a malformed continue token is 400) before any byte is sent.
  static absl::StatusOr<CollectionLister> Create(const SqliteStore& store, ResourceTypePtr type,
                                                 ObjectFilter filter, ListRequest request);
  // Writes the whole response body in pieces; false from `write` stops it.
  absl::Status Write(const std::function<bool(std::string_view)>& write) const;

 private:
  CollectionLister(const SqliteStore& store, ResourceTypePtr type, ObjectFilter filter,
                   ListRequest request)
      : store_(store), type_(std::move(type)), filter_(std::move(filter)),
        request_(std::move(request)) {}

  const SqliteStore& store_;
  ResourceTypePtr type_;
  ObjectFilter filter_;
  ListRequest request_;
  int64_t continue_rv_ = 0;
  std::string after_ns_;
  std::string after_name_;
};

// The body as served at `type`'s version (stored objects carry the storage version).
std::string ServedBody(const ResourceType& type, const std::string& stored_body);

}  // namespace certforge::apiserver
