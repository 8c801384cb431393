#include "lib/pki/object_identifier.h"

#include <openssl/objects.h>

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace certforge::pki {
namespace {

// Go's strconv.Atoi: optional sign, then decimal digits only (and no overflow).
bool ParseArc(std::string_view part, long long& value) {
  bool negative = !part.empty() && part[0] == '-';
  if (!part.empty() && (part[0] == '+' || part[0] == '-')) part.remove_prefix(1);
  if (part.empty() || part.size() > 18) return false;
  value = 0;
  for (char c : part) {
    if (c < '0' || c > '9') return false;
    value = value * 10 + (c - '0');
  }
  if (negative) value = -value;
  return true;
}

std::vector<std::string_view> SplitDots(std::string_view text) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (true) {
    size_t dot = text.find('.', start);
    if (dot == std::string_view::npos) {
      parts.push_back(text.substr(start));
      return parts;
    }
    parts.push_back(text.substr(start, dot - start));
    start = dot + 1;
  }
}

}  // namespace

bool HasObjectIdentifierSyntax(std::string_view text) {
  if (text.empty()) return false;
  for (std::string_view part : SplitDots(text)) {
    long long value = 0;
    if (!ParseArc(part, value)) return false;
  }
  return true;
}

std::string CanonicalObjectIdentifier(std::string_view text) {
  if (!HasObjectIdentifierSyntax(text)) return {};
  std::vector<long long> arcs;
  for (std::string_view part : SplitDots(text)) {
    long long value = 0;
    ParseArc(part, value);
    arcs.push_back(value);
  }
  return absl::StrJoin(arcs, ".");
}

absl::StatusOr<Asn1ObjectPtr> ParseObjectIdentifier(std::string_view text) {
  std::vector<long long> arcs;
  for (std::string_view part : SplitDots(text)) {
    long long value = 0;
    if (!ParseArc(part, value)) {
      return absl::InvalidArgumentError(
          absl::StrCat("invalid object identifier \"", std::string(text), "\""));
    }
    arcs.push_back(value);
  }
  bool encodable =
      arcs.size() >= 2 && arcs[0] >= 0 && arcs[0] <= 2 && (arcs[0] == 2 || arcs[1] < 40);
  for (long long arc : arcs) encodable = encodable && arc >= 0;
  if (!encodable) {
    return absl::InvalidArgumentError(
        absl::StrCat("invalid object identifier \"", std::string(text), "\""));
  }
  std::string canonical = absl::StrJoin(arcs, ".");
  Asn1ObjectPtr object(OBJ_txt2obj(canonical.c_str(), 1));
  if (!object) {
    return OpenSslError(absl::StatusCode::kInvalidArgument,
                        absl::StrCat("invalid object identifier \"", std::string(text), "\""));
  }
  return object;
}

std::string ObjectIdentifierText(const ASN1_OBJECT* object) {
  char buffer[128];
  int length = OBJ_obj2txt(buffer, sizeof(buffer), object, 1);
  if (length <= 0) return {};
  if (static_cast<size_t>(length) < sizeof(buffer)) return std::string(buffer, length);
  std::string out(static_cast<size_t>(length) + 1, '\0');
  OBJ_obj2txt(out.data(), static_cast<int>(out.size()), object, 1);
  out.resize(static_cast<size_t>(length));
  return out;
}

}  // namespace certforge::pki
