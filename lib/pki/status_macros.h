#pragma once
// Early returns for absl::Status / absl::StatusOr inside lib/pki.

#define CF_PKI_CONCAT_INNER(a, b) a##b
#define CF_PKI_CONCAT(a, b) CF_PKI_CONCAT_INNER(a, b)

// Returns the Status of `expr` from the enclosing function unless it is OK.
#define CF_RETURN_IF_ERROR(expr)                                \
  do {                                                          \
    if (::absl::Status cf_status_ = (expr); !cf_status_.ok()) { \
      return cf_status_;                                        \
    }                                                           \
  } while (false)

// `lhs = *expr` when the StatusOr `expr` holds a value; otherwise returns its Status.
#define CF_ASSIGN_OR_RETURN(lhs, expr) \
  CF_ASSIGN_OR_RETURN_IMPL(CF_PKI_CONCAT(cf_statusor_, __LINE__), lhs, expr)
#define CF_ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                             \
  if (!tmp.ok()) return tmp.status();            \
  lhs = *std::move(tmp)
