#include "lib/bus/envelope_codec.h"

#include <chrono>

#include "absl/strings/str_cat.h"

namespace certforge::bus {

std::string EncodeEnvelope(Envelope envelope) {
  envelope.set_version(kEnvelopeVersion);
  envelope.set_sent_unix_ms(std::chrono::duration_cast<std::chrono::milliseconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count());
  return envelope.SerializeAsString();
}

absl::StatusOr<Envelope> DecodeEnvelope(std::string_view bytes) {
  Envelope envelope;
  if (!envelope.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return absl::InvalidArgumentError("frame is not a bus envelope");
  }
  if (envelope.version() != kEnvelopeVersion) {
    return absl::FailedPreconditionError(absl::StrCat(
        "envelope version ", envelope.version(), " (this build speaks ", kEnvelopeVersion, ")"));
  }
  return envelope;
}

void SetResultStatus(Envelope& envelope, const absl::Status& status) {
  envelope.set_error_code(static_cast<int32_t>(status.code()));
  envelope.set_error(std::string(status.message()));
  if (!status.ok() && envelope.error().empty()) envelope.set_error("job failed");
}

absl::Status ResultStatus(const Envelope& envelope) {
  if (envelope.error().empty() && envelope.error_code() == 0) return absl::OkStatus();
  auto code = static_cast<absl::StatusCode>(envelope.error_code());
  if (code == absl::StatusCode::kOk || envelope.error_code() < 0 || envelope.error_code() > 16) {
    code = absl::StatusCode::kUnknown;
  }
  return absl::Status(code, envelope.error().empty() ? "job failed" : envelope.error());
}

}  // namespace certforge::bus
