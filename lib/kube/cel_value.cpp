#include "lib/kube/cel_value.h"

#include <limits>
#include <utility>

namespace certforge::kube {

CelValue CelValue::Bool(bool value) {
  CelValue v;
  v.kind_ = Kind::kBool;
  v.bool_ = value;
  return v;
}

CelValue CelValue::Int(int64_t value) {
  CelValue v;
  v.kind_ = Kind::kInt;
  v.int_ = value;
  return v;
}

CelValue CelValue::Double(double value) {
  CelValue v;
  v.kind_ = Kind::kDouble;
  v.double_ = value;
  return v;
}

CelValue CelValue::String(std::string value) {
  CelValue v;
  v.kind_ = Kind::kString;
  v.owned_string_ = std::move(value);
  return v;
}

CelValue CelValue::List(std::vector<CelValue> items) {
  CelValue v;
  v.kind_ = Kind::kList;
  v.list_ = std::make_shared<const std::vector<CelValue>>(std::move(items));
  return v;
}

CelValue CelValue::FromJson(const nlohmann::json& node) {
  switch (node.type()) {
    case nlohmann::json::value_t::boolean:
      return Bool(node.get<bool>());
    case nlohmann::json::value_t::number_integer:
      return Int(node.get<int64_t>());
    case nlohmann::json::value_t::number_unsigned: {
      const auto value = node.get<uint64_t>();
      if (value <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return Int(static_cast<int64_t>(value));
      }
      return Double(static_cast<double>(value));
    }
    case nlohmann::json::value_t::number_float:
      return Double(node.get<double>());
    case nlohmann::json::value_t::string: {
      CelValue v;
      v.kind_ = Kind::kString;
      v.json_string_ = &node.get_ref<const std::string&>();
      return v;
    }
    case nlohmann::json::value_t::array: {
      CelValue v;
      v.kind_ = Kind::kList;
      v.json_ = &node;
      return v;
    }
    case nlohmann::json::value_t::object: {
      CelValue v;
      v.kind_ = Kind::kMap;
      v.json_ = &node;
      return v;
    }
    default:
      return CelValue();
  }
}

size_t CelValue::Size() const {
  if (list_) return list_->size();
  return json_ ? json_->size() : 0;
}

CelValue CelValue::ListAt(size_t index) const {
  if (list_) return (*list_)[index];
  return FromJson((*json_)[index]);
}

const nlohmann::json* CelValue::MapFind(std::string_view key) const {
  auto it = json_->find(key);
  return it == json_->end() ? nullptr : &*it;
}

bool CelValue::Equals(const CelValue& other) const {
  if (IsNumber() && other.IsNumber()) {
    if (kind_ == Kind::kInt && other.kind_ == Kind::kInt) return int_ == other.int_;
    return AsDouble() == other.AsDouble();
  }
  if (kind_ != other.kind_) return false;
  switch (kind_) {
    case Kind::kNull:
      return true;
    case Kind::kBool:
      return bool_ == other.bool_;
    case Kind::kString:
      return AsString() == other.AsString();
    case Kind::kList: {
      if (Size() != other.Size()) return false;
      for (size_t i = 0; i < Size(); ++i) {
        if (!ListAt(i).Equals(other.ListAt(i))) return false;
      }
      return true;
    }
    case Kind::kMap: {
      if (Size() != other.Size()) return false;
      for (const auto& [key, item] : json_->items()) {
        const nlohmann::json* theirs = other.MapFind(key);
        if (theirs == nullptr || !FromJson(item).Equals(FromJson(*theirs))) return false;
      }
      return true;
    }
    default:
      return false;
  }
}

std::string_view CelValue::TypeName() const {
  switch (kind_) {
    case Kind::kNull:
      return "null_type";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kDouble:
      return "double";
    case Kind::kString:
      return "string";
    case Kind::kList:
      return "list";
    case Kind::kMap:
      return "map";
  }
  return "dyn";
}

nlohmann::json CelValue::ToJson() const {
  switch (kind_) {
    case Kind::kNull:
      return nullptr;
    case Kind::kBool:
      return bool_;
    case Kind::kInt:
      return int_;
    case Kind::kDouble:
      return double_;
    case Kind::kString:
      return std::string(AsString());
    case Kind::kMap:
      return *json_;
    case Kind::kList: {
      if (json_) return *json_;
      nlohmann::json out = nlohmann::json::array();
      for (const CelValue& item : *list_) out.push_back(item.ToJson());
      return out;
    }
  }
  return nullptr;
}

}  // namespace certforge::kube
