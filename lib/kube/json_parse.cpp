#include "lib/kube/json_parse.h"

#include <simdjson.h>

#include <cmath>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace certforge::kube {
namespace {

using json = nlohmann::json;

// simdjson's parser holds buffers of about fifteen times the largest text it has parsed. Texts
// above this size (lists, CRDs) go to nlohmann's parser, which needs no more than its tree: a
// one-off simdjson parser for a page of 500 Secrets raised local-apiserver's peak by 16 MiB.
constexpr size_t kFastParseMaxBytes = 16 * 1024;

// Parsers kept for reuse: enough for the threads that parse at once on a small machine, and a
// bound on their memory (a quarter MiB each at most) however many threads a service runs.
constexpr size_t kIdleParsers = 4;

class ParserPool {
 public:
  std::unique_ptr<simdjson::dom::parser> Take() {
    {
      std::lock_guard lock(mu_);
      if (!idle_.empty()) {
        auto parser = std::move(idle_.back());
        idle_.pop_back();
        return parser;
      }
    }
    return std::make_unique<simdjson::dom::parser>();
  }

  void Give(std::unique_ptr<simdjson::dom::parser> parser) {
    std::lock_guard lock(mu_);
    if (idle_.size() < kIdleParsers) idle_.push_back(std::move(parser));
  }

 private:
  std::mutex mu_;
  std::vector<std::unique_ptr<simdjson::dom::parser>> idle_;
};

ParserPool& Parsers() {
  static auto* pool = new ParserPool;  // never destroyed: threads may parse during exit
  return *pool;
}

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
  if (text.size() > kFastParseMaxBytes) return std::nullopt;
  auto parser = Parsers().Take();
  auto parsed = ParseWith(*parser, text);
  Parsers().Give(std::move(parser));
  return parsed;
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
