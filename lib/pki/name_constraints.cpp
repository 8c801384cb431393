#include "lib/pki/name_constraints.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "lib/pki/address_syntax.h"
#include "lib/pki/ip_address.h"
#include "lib/pki/openssl_ptr.h"
#include "lib/pki/status_macros.h"

namespace certforge::pki {
namespace {

absl::Status PushSubtree(STACK_OF(GENERAL_SUBTREE) * subtrees, int type, int string_type,
                         std::string_view value) {
  GeneralSubtreePtr subtree(GENERAL_SUBTREE_new());
  Asn1StringPtr data(ASN1_STRING_type_new(string_type));
  if (!subtree || !data ||
      ASN1_STRING_set(data.get(), value.data(), static_cast<int>(value.size())) != 1) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating name constraint");
  }
  GENERAL_NAME_set0_value(subtree->base, type, data.release());
  if (sk_GENERAL_SUBTREE_push(subtrees, subtree.get()) <= 0) {
    return OpenSslError(absl::StatusCode::kInternal, "allocating name constraint");
  }
  subtree.release();
  return absl::OkStatus();
}

absl::Status PushIa5(STACK_OF(GENERAL_SUBTREE) * subtrees, int type, const std::string& value) {
  if (!IsIa5String(value)) {
    return absl::InvalidArgumentError(
        absl::StrCat("x509: \"", value, "\" cannot be encoded as an IA5String"));
  }
  return PushSubtree(subtrees, type, V_ASN1_IA5STRING, value);
}

// Go's serialiseConstraints order: DNS domains, IP ranges, e-mails, URI domains. Null when the
// item holds nothing (the subtree is then left out).
absl::StatusOr<STACK_OF(GENERAL_SUBTREE) *> EncodeSubtrees(
    const std::optional<NameConstraintItem>& item) {
  if (!item || item->empty()) return nullptr;
  STACK_OF(GENERAL_SUBTREE)* subtrees = sk_GENERAL_SUBTREE_new_null();
  if (subtrees == nullptr) return OpenSslError(absl::StatusCode::kInternal, "allocating");
  absl::Status status;
  for (const std::string& dns : item->dns_domains) {
    if (status.ok()) status = PushIa5(subtrees, GEN_DNS, dns);
  }
  for (const std::string& cidr : item->ip_ranges) {
    if (!status.ok()) break;
    absl::StatusOr<std::string> octets = ParseCidr(cidr);
    status = octets.ok() ? PushSubtree(subtrees, GEN_IPADD, V_ASN1_OCTET_STRING, *octets)
                         : octets.status();
  }
  for (const std::string& email : item->email_addresses) {
    if (status.ok()) status = PushIa5(subtrees, GEN_EMAIL, email);
  }
  for (const std::string& uri : item->uri_domains) {
    if (status.ok()) status = PushIa5(subtrees, GEN_URI, uri);
  }
  if (!status.ok()) {
    sk_GENERAL_SUBTREE_pop_free(subtrees, GENERAL_SUBTREE_free);
    return status;
  }
  return subtrees;
}

int PrefixLength(std::string_view mask) {
  int bits = 0;
  bool seen_zero = false;
  for (unsigned char byte : mask) {
    for (int bit = 7; bit >= 0; --bit) {
      bool set = ((byte >> bit) & 1) != 0;
      if (set && seen_zero) return -1;
      if (set) {
        ++bits;
      } else {
        seen_zero = true;
      }
    }
  }
  return bits;
}

std::string RangeText(std::string_view octets) {
  size_t half = octets.size() / 2;
  std::string address = FormatIpAddress(octets.substr(0, half));
  std::string_view mask = octets.substr(half);
  int prefix = PrefixLength(mask);
  if (prefix >= 0) return absl::StrCat(address, "/", prefix);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string hex;
  for (unsigned char c : mask) {
    hex += kHex[c >> 4];
    hex += kHex[c & 0xf];
  }
  return absl::StrCat(address, "/", hex);
}

std::optional<NameConstraintItem> DecodeSubtrees(const STACK_OF(GENERAL_SUBTREE) * subtrees) {
  if (subtrees == nullptr || sk_GENERAL_SUBTREE_num(subtrees) == 0) return std::nullopt;
  NameConstraintItem item;
  for (int i = 0; i < sk_GENERAL_SUBTREE_num(subtrees); ++i) {
    const GENERAL_NAME* base = sk_GENERAL_SUBTREE_value(subtrees, i)->base;
    switch (base->type) {
      case GEN_DNS:
        item.dns_domains.emplace_back(Asn1Bytes(base->d.dNSName));
        break;
      case GEN_EMAIL:
        item.email_addresses.emplace_back(Asn1Bytes(base->d.rfc822Name));
        break;
      case GEN_URI:
        item.uri_domains.emplace_back(Asn1Bytes(base->d.uniformResourceIdentifier));
        break;
      case GEN_IPADD:
        if (ASN1_STRING_length(base->d.iPAddress) == 8 ||
            ASN1_STRING_length(base->d.iPAddress) == 32) {
          item.ip_ranges.push_back(RangeText(Asn1Bytes(base->d.iPAddress)));
        }
        break;
      default:
        break;
    }
  }
  return item;
}

}  // namespace

absl::Status AddNameConstraints(ExtensionSink sink, const NameConstraints& constraints) {
  if (constraints.empty()) return absl::OkStatus();
  NameConstraintsPtr value(NAME_CONSTRAINTS_new());
  if (!value) return OpenSslError(absl::StatusCode::kInternal, "allocating name constraints");
  CF_ASSIGN_OR_RETURN(value->permittedSubtrees, EncodeSubtrees(constraints.permitted));
  CF_ASSIGN_OR_RETURN(value->excludedSubtrees, EncodeSubtrees(constraints.excluded));
  return sink.AddEncoded(NID_name_constraints, value.get(), constraints.critical);
}

NameConstraints DecodeNameConstraints(const NAME_CONSTRAINTS* constraints, bool critical) {
  NameConstraints out;
  out.critical = critical;
  if (constraints == nullptr) return out;
  out.permitted = DecodeSubtrees(constraints->permittedSubtrees);
  out.excluded = DecodeSubtrees(constraints->excludedSubtrees);
  return out;
}

}  // namespace certforge::pki
