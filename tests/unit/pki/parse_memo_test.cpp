// Parsing remembered by PEM text: the same text parses once, and a PEM written from a key can be
// recorded so that reading it back is free.

#include "lib/pki/parse_memo.h"

#include <gtest/gtest.h>

namespace certforge::pki {
namespace {

TEST(ParseMemo, TheSameKeyPemGivesTheSameKey) {
  auto key = PrivateKey::Generate(KeyAlgorithm::kEcdsa, 256);
  ASSERT_TRUE(key.ok());
  auto pem = key->ToPkcs8Pem();
  ASSERT_TRUE(pem.ok());
  auto first = MemoPrivateKeyFromPem(*pem);
  auto second = MemoPrivateKeyFromPem(*pem);
  ASSERT_TRUE(first.ok() && second.ok());
  EXPECT_EQ(*first->PublicKeyDer(), *key->PublicKeyDer());
  EXPECT_EQ(*second->PublicKeyDer(), *key->PublicKeyDer());
  EXPECT_FALSE(MemoPrivateKeyFromPem("not a key").ok());  // failures are not remembered as keys
}

TEST(ParseMemo, ARememberedPemIsServedWithoutParsing) {
  auto key = PrivateKey::Generate(KeyAlgorithm::kEcdsa, 256);
  ASSERT_TRUE(key.ok());
  auto pem = key->ToPkcs1Pem();
  ASSERT_TRUE(pem.ok());
  RememberPrivateKeyPem(*pem, *key);
  auto read = MemoPrivateKeyFromPem(*pem);
  ASSERT_TRUE(read.ok());
  EXPECT_EQ(*read->PublicKeyDer(), *key->PublicKeyDer());
  // Proof that no parse happens: text that is no PEM at all, once recorded, reads as the key.
  RememberPrivateKeyPem("written by a test", *key);
  auto unparsed = MemoPrivateKeyFromPem("written by a test");
  ASSERT_TRUE(unparsed.ok());
  EXPECT_EQ(*unparsed->PublicKeyDer(), *key->PublicKeyDer());
}

}  // namespace
}  // namespace certforge::pki
