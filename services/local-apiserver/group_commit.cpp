#include "services/local-apiserver/group_commit.h"

#include <utility>

namespace certforge::apiserver {

GroupCommit::Writer::Writer(GroupCommit& owner) : owner_(owner) {
  ++owner_.queued_;
  lock_ = std::unique_lock(owner_.mu_);
  --owner_.queued_;
}

GroupCommit::Writer::~Writer() {
  // A writer that staged nothing (a failed precondition, a dry run) may still be the last one
  // a batch was left open for. One that waited for its batch no longer holds the lock.
  if (lock_.owns_lock() && !owner_.pending_.empty() && owner_.queued_ == 0) {
    owner_.FlushLocked().IgnoreError();
  }
}

absl::Status GroupCommit::Writer::Flush() {
  if (owner_.pending_.empty()) return absl::OkStatus();
  return owner_.FlushLocked();
}

absl::Status GroupCommit::Writer::StageAndWait(const std::vector<Mutation>& mutations,
                                               Publish publish) {
  if (auto s = owner_.store_.Stage(mutations); !s.ok()) return s;
  owner_.pending_.push_back(std::move(publish));
  if (owner_.queued_ == 0 || owner_.pending_.size() >= kMaxBatch) return owner_.FlushLocked();
  std::shared_ptr<Batch> batch = owner_.batch_;
  lock_.unlock();  // the writer queued behind this one carries the batch on
  batch->committed.WaitForNotification();
  return batch->status;
}

absl::Status GroupCommit::FlushLocked() {
  std::shared_ptr<Batch> batch = std::exchange(batch_, std::make_shared<Batch>());
  std::vector<Publish> publishes = std::exchange(pending_, {});
  absl::Status status = store_.Flush();
  if (status.ok()) {
    for (const Publish& publish : publishes) publish();
  }
  batch->status = status;
  batch->committed.Notify();
  return status;
}

}  // namespace certforge::apiserver
