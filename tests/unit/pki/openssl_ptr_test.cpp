#include "lib/pki/openssl_ptr.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <openssl/err.h>

namespace certforge::pki {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// Leaves at least one error on this thread's queue.
void FailToParseACertificate() {
  const unsigned char garbage[] = {0x30, 0x03, 0x02, 0x01};
  const unsigned char* p = garbage;
  X509Ptr parsed(d2i_X509(nullptr, &p, sizeof(garbage)));
  ASSERT_EQ(parsed, nullptr);
  ASSERT_NE(ERR_peek_error(), 0u);
}

TEST(OpenSslErrors, DrainsAndFormatsTheQueue) {
  FailToParseACertificate();
  std::string errors = OpenSslErrors();
  EXPECT_THAT(errors, HasSubstr("asn1 encoding routines: "));
  EXPECT_EQ(ERR_peek_error(), 0u);
  EXPECT_EQ(OpenSslErrors(), "");
}

TEST(OpenSslError, StatusNamesTheStepThenTheErrors) {
  FailToParseACertificate();
  absl::Status status = OpenSslError(absl::StatusCode::kInvalidArgument, "parsing");
  EXPECT_EQ(status.code(), absl::StatusCode::kInvalidArgument);
  EXPECT_THAT(std::string(status.message()), StartsWith("parsing: asn1 encoding routines: "));
}

TEST(OpenSslError, EmptyQueueGivesJustTheStep) {
  absl::Status status = OpenSslError(absl::StatusCode::kInternal, "signing");
  EXPECT_EQ(status.code(), absl::StatusCode::kInternal);
  EXPECT_EQ(status.message(), "signing");
}

TEST(MemoryBio, ReadsGivenBytesAndCollectsWrittenOnes) {
  std::string data("a\0b", 3);
  BioPtr in = MemoryBio(data);
  char buffer[8] = {};
  ASSERT_EQ(BIO_read(in.get(), buffer, sizeof(buffer)), 3);
  EXPECT_EQ(std::string(buffer, 3), data);

  BioPtr empty = MemoryBio(std::string_view());
  ASSERT_NE(empty, nullptr);
  EXPECT_LE(BIO_read(empty.get(), buffer, sizeof(buffer)), 0);

  BioPtr out = NewMemoryBio();
  EXPECT_EQ(BioContents(out.get()), "");
  BIO_write(out.get(), "hello", 5);
  BIO_write(out.get(), " world", 6);
  EXPECT_EQ(BioContents(out.get()), "hello world");
}

TEST(ToDer, EncodesWithTheGivenI2dFunction) {
  Asn1IntegerPtr number(ASN1_INTEGER_new());
  ASSERT_EQ(ASN1_INTEGER_set(number.get(), 5), 1);
  EXPECT_EQ(ToDer(number.get(), i2d_ASN1_INTEGER), std::string("\x02\x01\x05", 3));
  EXPECT_EQ(Asn1Bytes(nullptr), "");
}

}  // namespace
}  // namespace certforge::pki
