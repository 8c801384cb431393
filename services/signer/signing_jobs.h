#pragma once
// The signer's work: `keygen` and `sign` jobs from the bus, as pure request → result
// functions. CA material is parsed once and reused across jobs (parsing a key costs more than
// signing with it on OpenSSL 3.0).

#include <list>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "absl/status/statusor.h"
#include "certforge/signer/v1/signer.pb.h"
#include "lib/pki/ca_issuer.h"

namespace certforge::signer {

class SigningJobs {
 public:
  // Dispatches by job type; the payload and result are the serialized protobuf messages.
  absl::StatusOr<std::string> Handle(const std::string& job_type, const std::string& payload);

  absl::StatusOr<v1::KeygenResult> Keygen(const v1::KeygenRequest& request);
  absl::StatusOr<v1::SignResult> Sign(const v1::SignRequest& request);

 private:
  absl::StatusOr<std::shared_ptr<const pki::CaIssuer>> CaFor(const v1::SignRequest& request);

  // A small LRU of parsed CA issuers, keyed by their PEM data.
  std::mutex mu_;
  std::list<std::string> lru_;
  std::map<std::string,
           std::pair<std::shared_ptr<const pki::CaIssuer>, std::list<std::string>::iterator>>
      cas_;
};

}  // namespace certforge::signer
