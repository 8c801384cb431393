#include "lib/kube/cel_expression.h"

#include <utility>
#include <vector>

#include "lib/kube/cel_evaluator.h"
#include "lib/kube/cel_parser.h"

namespace certforge::kube {

absl::StatusOr<CelExpression> CelExpression::Parse(std::string_view source) {
  auto program = CelParser::Parse(source);
  if (!program.ok()) return program.status();
  CelExpression expression;
  expression.source_ = std::string(source);
  expression.root_ = std::shared_ptr<const CelNode>(std::move(program->root));
  expression.slot_count_ = program->slot_count;
  return expression;
}

absl::StatusOr<bool> CelExpression::Evaluate(const nlohmann::json& self) const {
  std::vector<CelValue> slots(slot_count_);
  slots[0] = CelValue::FromJson(self);
  CelEvaluator evaluator(slots);
  auto result = evaluator.Evaluate(*root_);
  if (!result.ok()) return result.status();
  if (result->kind() != CelValue::Kind::kBool) {
    return absl::InvalidArgumentError("no such overload");
  }
  return result->AsBool();
}

absl::StatusOr<nlohmann::json> CelExpression::EvaluateToJson(const nlohmann::json& self) const {
  std::vector<CelValue> slots(slot_count_);
  slots[0] = CelValue::FromJson(self);
  CelEvaluator evaluator(slots);
  auto result = evaluator.Evaluate(*root_);
  if (!result.ok()) return result.status();
  return result->ToJson();
}

}  // namespace certforge::kube
