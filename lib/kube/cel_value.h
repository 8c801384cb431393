#pragma once
// A runtime value of the CEL subset. Lists, maps and strings that come from the validated object
// point into its JSON document instead of copying it: rules run on every write.

#include <cstdint>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace certforge::kube {

class CelValue {
 public:
  enum class Kind { kNull, kBool, kInt, kDouble, kString, kList, kMap };

  CelValue() = default;
  static CelValue Bool(bool value);
  static CelValue Int(int64_t value);
  static CelValue Double(double value);
  static CelValue String(std::string value);
  static CelValue List(std::vector<CelValue> items);
  // Borrows `node`: the document must outlive the value.
  static CelValue FromJson(const nlohmann::json& node);

  Kind kind() const { return kind_; }
  bool IsNumber() const { return kind_ == Kind::kInt || kind_ == Kind::kDouble; }
  bool AsBool() const { return bool_; }
  int64_t AsInt() const { return int_; }
  double AsDouble() const { return kind_ == Kind::kInt ? static_cast<double>(int_) : double_; }
  std::string_view AsString() const { return json_string_ ? *json_string_ : owned_string_; }

  // Lists and maps.
  size_t Size() const;
  CelValue ListAt(size_t index) const;
  // The member of a map, or nullptr when absent.
  const nlohmann::json* MapFind(std::string_view key) const;
  const nlohmann::json& MapJson() const { return *json_; }

  // CEL's heterogeneous equality: numbers compare by value, other kinds must match.
  bool Equals(const CelValue& other) const;
  // "int", "string", "list", ... as CEL names types in error messages.
  std::string_view TypeName() const;
  nlohmann::json ToJson() const;

 private:
  Kind kind_ = Kind::kNull;
  bool bool_ = false;
  int64_t int_ = 0;
  double double_ = 0;
  std::string owned_string_;
  const std::string* json_string_ = nullptr;
  const nlohmann::json* json_ = nullptr;               // a list or map from the document
  std::shared_ptr<const std::vector<CelValue>> list_;  // a list built during evaluation
};

}  // namespace certforge::kube
