#include "lib/bus/envelope_codec.h"

#include <gtest/gtest.h>

namespace certforge::bus {
namespace {

TEST(EnvelopeCodec, RoundTripStampsVersionAndTime) {
  Envelope job;
  job.set_kind(Envelope::JOB);
  job.set_job_id("uid-1/3/sign");
  job.set_payload(std::string("\0\x01binary", 8));
  auto decoded = DecodeEnvelope(EncodeEnvelope(job));
  ASSERT_TRUE(decoded.ok()) << decoded.status();
  EXPECT_EQ(decoded->version(), kEnvelopeVersion);
  EXPECT_GT(decoded->sent_unix_ms(), 0);
  EXPECT_EQ(decoded->job_id(), "uid-1/3/sign");
  EXPECT_EQ(decoded->payload(), job.payload());
}

TEST(EnvelopeCodec, RejectsGarbageAndOtherVersions) {
  EXPECT_EQ(DecodeEnvelope("\xff\xff\xff garbage").status().code(),
            absl::StatusCode::kInvalidArgument);
  Envelope future;
  future.set_version(kEnvelopeVersion + 1);
  future.set_kind(Envelope::HEARTBEAT);
  EXPECT_EQ(DecodeEnvelope(future.SerializeAsString()).status().code(),
            absl::StatusCode::kFailedPrecondition);
  // An empty frame parses as an envelope of version 0: also refused.
  EXPECT_FALSE(DecodeEnvelope("").ok());
}

TEST(EnvelopeCodec, ResultStatusRoundTrip) {
  for (const auto& status :
       {absl::OkStatus(), absl::NotFoundError("gone"), absl::InternalError("boom"),
        absl::Status(absl::StatusCode::kUnavailable, "")}) {
    Envelope result;
    SetResultStatus(result, status);
    auto back = ResultStatus(result);
    EXPECT_EQ(back.code(), status.code()) << status;
    if (!status.message().empty()) {
      EXPECT_EQ(back.message(), status.message());
    }
    EXPECT_EQ(back.ok(), status.ok());
  }
}

TEST(EnvelopeCodec, ErrorWithoutOrWithBadCodeIsUnknown) {
  Envelope result;
  result.set_error("old worker");
  EXPECT_EQ(ResultStatus(result).code(), absl::StatusCode::kUnknown);
  result.set_error_code(999);
  EXPECT_EQ(ResultStatus(result).code(), absl::StatusCode::kUnknown);
  EXPECT_EQ(ResultStatus(result).message(), "old worker");
}

}  // namespace
}  // namespace certforge::bus
