#include "services/controller/certificate_inputs.h"

#include "lib/core/base64.h"
#include "lib/kube/json_fields.h"
#include "services/controller/resources.h"

namespace certforge::controller {

using nlohmann::json;

std::optional<int> RequestRevision(const json& request) {
  const json& meta = request.at("metadata");
  if (!meta.contains("annotations")) return std::nullopt;
  std::string text = meta["annotations"].value(kRevisionAnnotation, "");
  if (text.empty()) return std::nullopt;
  try {
    size_t used = 0;
    int revision = std::stoi(text, &used);
    if (used != text.size()) return std::nullopt;
    return revision;
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

std::vector<std::shared_ptr<const json>> RequestsOf(const ControllerContext& ctx,
                                                    const std::string& key) {
  return ctx.requests->ByIndex(kIndexByCertificate, key);
}

std::string SecretData(const json& secret, const std::string& key) {
  auto data = secret.find("data");
  if (data == secret.end() || !data->is_object() || !data->contains(key)) return "";
  const json& value = (*data)[key];
  if (!value.is_string()) return "";
  auto decoded = core::Base64Decode(value.get_ref<const std::string&>());
  return decoded.ok() ? *decoded : "";
}

absl::StatusOr<CertificateInputs> GatherCertificateInputs(const ControllerContext& ctx,
                                                          const std::string& key) {
  CertificateInputs in;
  in.certificate = ctx.Certificate(key);
  if (!in.certificate) return in;
  const json& cert = *in.certificate;
  auto [ns, name] = SplitKey(key);
  in.revision = kube::ObjectAt(cert, "status").value("revision", 0);
  std::string secret_name = kube::ObjectAt(cert, "spec").value("secretName", "");
  if (!secret_name.empty()) {
    auto secret = ctx.secret_reader->Get(ns, secret_name);
    if (secret.ok()) {
      in.secret = std::move(*secret);
    } else if (secret.status().code() != absl::StatusCode::kNotFound) {
      return secret.status();
    }
  }
  for (auto& request : RequestsOf(ctx, key)) {
    auto revision = RequestRevision(*request);
    if (!revision) continue;
    if (*revision == in.revision && in.revision > 0) in.current_request = request;
    if (*revision == in.revision + 1) in.next_request = request;
  }
  return in;
}

}  // namespace certforge::controller
