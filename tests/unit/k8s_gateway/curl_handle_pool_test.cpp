#include "services/k8s-gateway/curl_handle_pool.h"

#include <gtest/gtest.h>

namespace certforge::k8sgw {
namespace {

TEST(CurlHandlePoolTest, ReusesTheMostRecentlyReleasedHandle) {
  CurlHandlePool pool(4);
  CURL* first = nullptr;
  CURL* second = nullptr;
  {
    CurlHandlePool::Lease a = pool.Acquire();
    CurlHandlePool::Lease b = pool.Acquire();
    first = a.get();
    second = b.get();
    ASSERT_NE(first, nullptr);
    ASSERT_NE(first, second);
  }  // b is released before a
  EXPECT_EQ(pool.IdleCount(), 2u);
  CurlHandlePool::Lease again = pool.Acquire();
  EXPECT_EQ(again.get(), first);
  EXPECT_EQ(pool.IdleCount(), 1u);
}

TEST(CurlHandlePoolTest, KeepsAtMostMaxIdleHandles) {
  CurlHandlePool pool(2);
  {
    CurlHandlePool::Lease a = pool.Acquire();
    CurlHandlePool::Lease b = pool.Acquire();
    CurlHandlePool::Lease c = pool.Acquire();
  }
  EXPECT_EQ(pool.IdleCount(), 2u);
}

}  // namespace
}  // namespace certforge::k8sgw
