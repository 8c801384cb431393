#pragma once
// The members of a JSON object, or the elements of an array, as slices of its text, without
// building a tree.
//
// The gateway relays every watch event and list item; parsing each object and encoding it again
// was most of its CPU. It now finds the few fields it reads (type, apiVersion, kind, metadata) by
// slicing, and forwards the object's text as the API server sent it.

#include <nlohmann/json.hpp>
#include <optional>
#include <string_view>
#include <vector>

namespace certforge::k8sgw {

struct JsonMember {
  std::string_view key;    // as written between the quotes (escapes left as they are)
  std::string_view value;  // the value's text: "string", {object}, [array] or a scalar
};

// The members of the object `text` holds, in order; nullopt unless `text` is one object whose
// strings are closed and whose brackets balance (values themselves are not validated: whoever
// reads them parses them).
std::optional<std::vector<JsonMember>> JsonObjectMembers(std::string_view text);

// The value of the first member named `key`; empty when there is none.
std::string_view MemberValue(const std::vector<JsonMember>& members, std::string_view key);

// The elements of the array `text` holds, as slices, under the same rules as JsonObjectMembers.
std::optional<std::vector<std::string_view>> JsonArrayElements(std::string_view text);

// What the gateway reads of an object (apiVersion, kind and metadata's name, namespace and
// resourceVersion), parsed from slices of its text; the rest, labels and annotations included,
// is relayed unparsed. Null when the text is not an object.
nlohmann::json ObjectHead(std::string_view text);

}  // namespace certforge::k8sgw
