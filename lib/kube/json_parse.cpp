#include "lib/kube/json_parse.h"

#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <optional>
#include <string>

namespace certforge::kube {
namespace {

using json = nlohmann::json;

// A thread's parser keeps its buffers (about ten times the largest text it has parsed) between
// calls; texts above this size get a parser of their own, freed after the call.
constexpr size_t kReusedParserMaxBytes = 64 * 1024;

// Builds the nlohmann value of `element`. False for -0.0, which simdjson also gives for -0 (an
// integer to nlohmann): nlohmann's own parser tells them apart.
bool Convert(simdjson::dom::element element, json& out) {
  using Type = simdjson::dom::element_type;
  switch (element.type()) {
    case Type::OBJECT: {
      out = json::object();
      auto& members = out.get_ref<json::object_t&>();
      // operator[] so that a repeated key keeps its last value, as nlohmann's parser does.
      for (auto field : simdjson::dom::object(element)) {
        if (!Convert(field.value, members[std::string(field.key)])) return false;
      }
      return true;
    }
    case Type::ARRAY: {
      simdjson::dom::array items(element);
      out = json::array();
      auto& values = out.get_ref<json::array_t&>();
      values.reserve(items.size());
      for (auto item : items) {
        if (!Convert(item, values.emplace_back())) return false;
      }
      return true;
    }
    case Type::STRING:
      out = std::string(std::string_view(element));
      return true;
    case Type::INT64: {
      // nlohmann stores a non-negative integer as unsigned.
      int64_t value = int64_t(element);
      if (value >= 0) {
        out = static_cast<uint64_t>(value);
      } else {
        out = value;
      }
      return true;
    }
    case Type::UINT64:
      out = uint64_t(element);
      return true;
    case Type::DOUBLE: {
      double value = double(element);
      if (value == 0 && std::signbit(value)) return false;
      out = value;
      return true;
    }
    case Type::BOOL:
      out = bool(element);
      return true;
    case Type::NULL_VALUE:
      out = nullptr;
      return true;
  }
  return false;
}

std::optional<json> ParseWith(simdjson::dom::parser& parser, std::string_view text) {
  simdjson::dom::element root;
  if (parser.parse(text.data(), text.size()).get(root) != simdjson::SUCCESS) return std::nullopt;
  json out;
  if (!Convert(root, out)) return std::nullopt;
  return out;
}

}  // namespace

std::optional<json> ParseJsonFast(std::string_view text) {
  if (text.size() > kReusedParserMaxBytes) {
    simdjson::dom::parser parser;
    return ParseWith(parser, text);
  }
  thread_local simdjson::dom::parser parser;
  return ParseWith(parser, text);
}

json ParseJson(std::string_view text) {
  if (auto parsed = ParseJsonFast(text)) return std::move(*parsed);
  return json::parse(text);
}

json ParseJsonOrDiscarded(std::string_view text) {
  if (auto parsed = ParseJsonFast(text)) return std::move(*parsed);
  return json::parse(text, nullptr, /*allow_exceptions=*/false);
}

}  // namespace certforge::kube
