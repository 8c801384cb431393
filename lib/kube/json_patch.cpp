#include "lib/kube/json_patch.h"

#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "lib/kube/json_pointer.h"

namespace certforge::kube {

using nlohmann::json;

namespace {

enum class OpKind { kAdd, kRemove, kReplace, kMove, kCopy, kTest };

struct Operation {
  OpKind kind;
  std::string name;  // as written, for messages
  std::string path_text;
  JsonPointer path;
  std::optional<JsonPointer> from;
  json value;
};

std::optional<OpKind> KindOf(const std::string& op) {
  if (op == "add") return OpKind::kAdd;
  if (op == "remove") return OpKind::kRemove;
  if (op == "replace") return OpKind::kReplace;
  if (op == "move") return OpKind::kMove;
  if (op == "copy") return OpKind::kCopy;
  if (op == "test") return OpKind::kTest;
  return std::nullopt;
}

absl::StatusOr<JsonPointer> PointerMember(const json& op, const char* member, size_t index) {
  auto it = op.find(member);
  if (it == op.end() || !it->is_string()) {
    return absl::InvalidArgumentError(
        absl::StrCat("json patch op[", index, "] needs a string \"", member, "\""));
  }
  auto pointer = JsonPointer::Parse(it->get_ref<const std::string&>());
  if (!pointer.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("json patch op[", index, "] ", member, ": ", pointer.status().message()));
  }
  return pointer;
}

// Checks the whole document before anything is applied, so a malformed patch never half-applies
// and is always reported as malformed rather than as a failed operation.
absl::StatusOr<std::vector<Operation>> ParseOperations(const json& ops) {
  if (!ops.is_array()) return absl::InvalidArgumentError("json patch must be a JSON array");
  std::vector<Operation> parsed;
  for (size_t i = 0; i < ops.size(); ++i) {
    const json& op = ops[i];
    if (!op.is_object()) {
      return absl::InvalidArgumentError(absl::StrCat("json patch op[", i, "] is not an object"));
    }
    auto op_name = op.find("op");
    if (op_name == op.end() || !op_name->is_string()) {
      return absl::InvalidArgumentError(
          absl::StrCat("json patch op[", i, "] needs a string \"op\""));
    }
    const std::string& name = op_name->get_ref<const std::string&>();
    auto kind = KindOf(name);
    if (!kind) {
      return absl::InvalidArgumentError(
          absl::StrCat("json patch op[", i, "] has unknown op \"", name, "\""));
    }
    auto path = PointerMember(op, "path", i);
    if (!path.ok()) return path.status();
    Operation parsed_op{*kind,        name,   op["path"].get<std::string>(), *std::move(path),
                        std::nullopt, nullptr};
    if (*kind == OpKind::kMove || *kind == OpKind::kCopy) {
      auto from = PointerMember(op, "from", i);
      if (!from.ok()) return from.status();
      parsed_op.from = *std::move(from);
    }
    if (*kind == OpKind::kAdd || *kind == OpKind::kReplace || *kind == OpKind::kTest) {
      auto value = op.find("value");
      if (value == op.end()) {
        return absl::InvalidArgumentError(
            absl::StrCat("json patch op[", i, "] (", name, ") needs a \"value\""));
      }
      parsed_op.value = *value;
    }
    parsed.push_back(std::move(parsed_op));
  }
  return parsed;
}

absl::Status Apply(json& doc, const Operation& op) {
  switch (op.kind) {
    case OpKind::kAdd:
      return op.path.Add(doc, op.value);
    case OpKind::kRemove:
      return op.path.Remove(doc).status();
    case OpKind::kReplace:
      return op.path.Replace(doc, op.value);
    case OpKind::kMove: {
      if (op.path.IsInside(*op.from)) {
        return absl::FailedPreconditionError("cannot move a value into one of its own children");
      }
      auto moved = op.from->Remove(doc);
      if (!moved.ok()) return moved.status();
      return op.path.Add(doc, *std::move(moved));
    }
    case OpKind::kCopy: {
      const json* source = op.from->Find(doc);
      if (source == nullptr) return absl::FailedPreconditionError("\"from\" path does not exist");
      return op.path.Add(doc, *source);
    }
    case OpKind::kTest: {
      const json* actual = op.path.Find(doc);
      if (actual == nullptr) return absl::FailedPreconditionError("path does not exist");
      if (*actual != op.value) {
        return absl::FailedPreconditionError(
            absl::StrCat("test failed: value is ", actual->dump(), ", expected ", op.value.dump()));
      }
      return absl::OkStatus();
    }
  }
  return absl::InternalError("unreachable json patch op");
}

}  // namespace

absl::StatusOr<json> ApplyJsonPatch(const json& doc, const json& ops) {
  try {
    auto parsed = ParseOperations(ops);
    if (!parsed.ok()) return parsed.status();
    json result = doc;
    for (size_t i = 0; i < parsed->size(); ++i) {
      const Operation& op = (*parsed)[i];
      absl::Status status = Apply(result, op);
      if (!status.ok()) {
        return absl::FailedPreconditionError(absl::StrCat("json patch op[", i, "] (", op.name, " ",
                                                          op.path_text,
                                                          ") failed: ", status.message()));
      }
    }
    return result;
  } catch (const json::exception& e) {
    return absl::InternalError(absl::StrCat("json patch: ", e.what()));
  }
}

}  // namespace certforge::kube
