#pragma once
// The bus's wire format: one serialized Envelope per frame, stamped with the schema version.

#include <cstdint>
#include <string>
#include <string_view>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "certforge/bus/v1/envelope.pb.h"

namespace certforge::bus {

// The envelope schema this code speaks; a frame with another version is dropped.
inline constexpr uint32_t kEnvelopeVersion = 1;

using Envelope = certforge::bus::v1::Envelope;

// Stamps `version` and `sent_unix_ms` and serializes.
std::string EncodeEnvelope(Envelope envelope);

// INVALID_ARGUMENT for bytes that do not parse, FAILED_PRECONDITION for another version.
absl::StatusOr<Envelope> DecodeEnvelope(std::string_view bytes);

// A RESULT carries a status as (error_code, error); these convert both ways.
void SetResultStatus(Envelope& envelope, const absl::Status& status);
absl::Status ResultStatus(const Envelope& envelope);

}  // namespace certforge::bus
