#pragma once
// The parsed form of a CEL expression. Identifiers are resolved to variable slots at parse time
// (slot 0 is `self`, comprehension variables follow), so evaluation never looks names up.

#include <memory>
#include <regex>
#include <string>
#include <vector>

#include "lib/kube/cel_value.h"

namespace certforge::kube {

enum class CelOp {
  kNot,
  kNegate,  // unary
  kAdd,
  kSubtract,
  kMultiply,
  kDivide,
  kModulo,  // arithmetic
  kEqual,
  kNotEqual,
  kLess,
  kLessEqual,
  kGreater,
  kGreaterEqual,
  kIn,
};

enum class CelFunction {
  kSize,
  kStartsWith,
  kEndsWith,
  kContains,
  kMatches,
  kToInt,
  kToDouble,
  kToString,
};

enum class CelMacro { kAll, kExists, kExistsOne, kMap, kFilter };

struct CelNode {
  enum class Kind {
    kLiteral,        // literal
    kVariable,       // slot
    kSelect,         // children[0].name
    kIndex,          // children[0][children[1]]
    kHas,            // has(children[0].name)
    kCall,           // function(children...) or children[0].function(children[1..])
    kUnary,          // op children[0]
    kBinary,         // children[0] op children[1]
    kAnd,            // children[0] && children[1]
    kOr,             // children[0] || children[1]
    kConditional,    // children[0] ? children[1] : children[2]
    kList,           // [children...]
    kComprehension,  // children[0].macro(slot, children[1])
  };

  Kind kind = Kind::kLiteral;
  CelValue literal;
  int slot = 0;
  std::string name;
  CelOp op = CelOp::kNot;
  CelFunction function = CelFunction::kSize;
  CelMacro macro = CelMacro::kAll;
  std::shared_ptr<const std::regex> regex;  // matches() with a literal pattern, compiled once
  std::vector<std::unique_ptr<CelNode>> children;
};

}  // namespace certforge::kube
