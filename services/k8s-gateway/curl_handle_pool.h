#pragma once
// Reusable libcurl easy handles: a handle keeps its open connections between requests, so
// returning it to the pool is what gives connection reuse. All handles share one DNS cache and
// one TLS session cache (a CURLSH with locks), so new connections resume TLS sessions.
// A handle released while max_idle others wait is closed with its connection, so max_idle must
// cover the calls in flight at once (one per gRPC thread), or the API server sees a connection
// opened and closed for every few requests.

#include <curl/curl.h>

#include <array>
#include <memory>
#include <mutex>
#include <vector>

namespace certforge::k8sgw {

class CurlHandlePool {
 public:
  explicit CurlHandlePool(size_t max_idle = 64);
  ~CurlHandlePool();
  CurlHandlePool(const CurlHandlePool&) = delete;
  CurlHandlePool& operator=(const CurlHandlePool&) = delete;

  class Lease {
   public:
    Lease(CurlHandlePool* pool, CURL* handle) : pool_(pool), handle_(handle) {}
    Lease(Lease&& other) noexcept : pool_(other.pool_), handle_(other.handle_) {
      other.handle_ = nullptr;
    }
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    Lease& operator=(Lease&&) = delete;
    ~Lease() {
      if (handle_) pool_->Release(handle_);
    }
    CURL* get() const { return handle_; }

   private:
    CurlHandlePool* pool_;
    CURL* handle_;
  };

  // A handle with its options reset (connections and caches kept); nullptr-safe callers check
  // get() because curl_easy_init can fail when memory is exhausted.
  Lease Acquire();

  size_t IdleCount() const;

 private:
  void Release(CURL* handle);
  static void Lock(CURL*, curl_lock_data data, curl_lock_access, void* self);
  static void Unlock(CURL*, curl_lock_data data, void* self);

  const size_t max_idle_;
  CURLSH* share_ = nullptr;
  std::array<std::mutex, CURL_LOCK_DATA_LAST> share_locks_;
  mutable std::mutex mu_;
  std::vector<CURL*> idle_;
};

}  // namespace certforge::k8sgw
