#include "services/k8s-gateway/curl_handle_pool.h"

namespace certforge::k8sgw {

CurlHandlePool::CurlHandlePool(size_t max_idle) : max_idle_(max_idle) {
  share_ = curl_share_init();
  if (share_) {
    curl_share_setopt(share_, CURLSHOPT_LOCKFUNC, &CurlHandlePool::Lock);
    curl_share_setopt(share_, CURLSHOPT_UNLOCKFUNC, &CurlHandlePool::Unlock);
    curl_share_setopt(share_, CURLSHOPT_USERDATA, this);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_DNS);
    curl_share_setopt(share_, CURLSHOPT_SHARE, CURL_LOCK_DATA_SSL_SESSION);
  }
}

CurlHandlePool::~CurlHandlePool() {
  for (CURL* handle : idle_) curl_easy_cleanup(handle);
  if (share_) curl_share_cleanup(share_);
}

CurlHandlePool::Lease CurlHandlePool::Acquire() {
  CURL* handle = nullptr;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (!idle_.empty()) {
      handle = idle_.back();
      idle_.pop_back();
    }
  }
  if (handle) {
    curl_easy_reset(handle);
  } else {
    handle = curl_easy_init();
  }
  if (handle && share_) curl_easy_setopt(handle, CURLOPT_SHARE, share_);
  return Lease(this, handle);
}

size_t CurlHandlePool::IdleCount() const {
  std::lock_guard<std::mutex> lock(mu_);
  return idle_.size();
}

void CurlHandlePool::Release(CURL* handle) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (idle_.size() < max_idle_) {
      idle_.push_back(handle);
      return;
    }
  }
  curl_easy_cleanup(handle);
}

void CurlHandlePool::Lock(CURL*, curl_lock_data data, curl_lock_access, void* self) {
  static_cast<CurlHandlePool*>(self)->share_locks_[data].lock();
}

void CurlHandlePool::Unlock(CURL*, curl_lock_data data, void* self) {
  static_cast<CurlHandlePool*>(self)->share_locks_[data].unlock();
}

}  // namespace certforge::k8sgw
