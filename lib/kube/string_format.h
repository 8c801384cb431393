#pragma once
// The OpenAPI string formats kube-apiserver checks in CRD schemas (its strfmt registry); any
// other format (int32, int64, float, ...) is ignored by Kubernetes and so is ignored here.

#include <string_view>

namespace certforge::kube {

enum class StringFormat {
  kNone,  // not validated
  kBsonObjectId,
  kUri,
  kEmail,
  kHostname,
  kIpv4,
  kIpv6,
  kCidr,
  kMac,
  kUuid,
  kUuid3,
  kUuid4,
  kUuid5,
  kIsbn,
  kIsbn10,
  kIsbn13,
  kCreditCard,
  kSsn,
  kHexColor,
  kRgbColor,
  kByte,
  kPassword,
  kDate,
  kDuration,
  kDateTime,
};

// The format Kubernetes validates for a schema's `format` ("date-time" and "datetime" alike).
StringFormat LookupStringFormat(std::string_view name);

bool MatchesStringFormat(StringFormat format, std::string_view value);

}  // namespace certforge::kube
