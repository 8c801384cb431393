#include "services/k8s-gateway/http_error_mapping.h"

#include <nlohmann/json.hpp>

#include "absl/strings/str_cat.h"
#include "lib/kube/gateway_status.h"
#include "lib/kube/json_parse.h"

namespace certforge::k8sgw {
namespace {

std::string StringField(const nlohmann::json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string Excerpt(std::string_view text) {
  constexpr size_t kMax = 200;
  return std::string(text.size() > kMax ? text.substr(0, kMax) : text);
}

}  // namespace

absl::StatusCode CodeForHttp(long http_code, std::string_view reason) {
  switch (http_code) {
    case 400:
    case 422:
      return absl::StatusCode::kInvalidArgument;
    case 401:
      return absl::StatusCode::kUnauthenticated;
    case 403:
      return absl::StatusCode::kPermissionDenied;
    case 404:
      return absl::StatusCode::kNotFound;
    case 405:
      return absl::StatusCode::kUnimplemented;
    case 409:
      return reason == "AlreadyExists" ? absl::StatusCode::kAlreadyExists
                                       : absl::StatusCode::kAborted;
    case 410:
      return absl::StatusCode::kOutOfRange;
    case 415:
      return absl::StatusCode::kFailedPrecondition;
    case 408:
    case 429:
      return absl::StatusCode::kUnavailable;
    default:
      if (http_code >= 500) return absl::StatusCode::kUnavailable;
      return absl::StatusCode::kUnknown;
  }
}

absl::Status StatusFromHttpError(long http_code, std::string_view body) {
  kube::v1::KubeError error;
  error.set_http_code(static_cast<int32_t>(http_code));
  nlohmann::json status = kube::ParseJsonOrDiscarded(body);
  if (status.is_object() && StringField(status, "kind") == "Status") {
    error.set_reason(StringField(status, "reason"));
    error.set_message(StringField(status, "message"));
    auto details = status.find("details");
    if (details != status.end() && details->is_object()) {
      auto causes = details->find("causes");
      if (causes != details->end() && causes->is_array()) {
        for (const auto& cause : *causes) {
          if (!cause.is_object()) continue;
          auto* out = error.add_causes();
          out->set_reason(StringField(cause, "reason"));
          out->set_message(StringField(cause, "message"));
          out->set_field(StringField(cause, "field"));
        }
      }
    }
  }
  if (error.reason().empty() && http_code == 410) error.set_reason("Expired");
  if (error.message().empty()) {
    error.set_message(absl::StrCat("HTTP ", http_code, body.empty() ? "" : ": ", Excerpt(body)));
  }
  std::string message =
      http_code == 410 ? absl::StrCat("expired: ", error.message()) : error.message();
  absl::Status result(CodeForHttp(http_code, error.reason()), message);
  return kube::WithKubeError(std::move(result), error);
}

absl::Status StatusFromWatchError(std::string_view status_json) {
  nlohmann::json status = kube::ParseJsonOrDiscarded(status_json);
  long code = 500;
  if (status.is_object()) {
    auto it = status.find("code");
    if (it != status.end() && it->is_number_integer()) code = it->get<long>();
  }
  if (code < 400) code = 500;
  return StatusFromHttpError(code, status_json);
}

bool IsExpired(const absl::Status& status) {
  return status.code() == absl::StatusCode::kOutOfRange;
}

}  // namespace certforge::k8sgw
