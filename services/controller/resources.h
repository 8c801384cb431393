#pragma once
// The resources the controller works with, and the names cert-manager gives to their
// annotations, labels and condition reasons.

#include "lib/kube/gateway_client.h"

namespace certforge::controller {

inline const kube::GroupVersionResource kCertificates{"cert-manager.io", "v1", "certificates"};
inline const kube::GroupVersionResource kCertificateRequests{"cert-manager.io", "v1",
                                                             "certificaterequests"};
inline const kube::GroupVersionResource kIssuers{"cert-manager.io", "v1", "issuers"};
inline const kube::GroupVersionResource kClusterIssuers{"cert-manager.io", "v1", "clusterissuers"};
inline const kube::GroupVersionResource kSecrets{"", "v1", "secrets"};

// Annotations and labels (cert-manager.io/v1 constants).
inline constexpr char kRevisionAnnotation[] = "cert-manager.io/certificate-revision";
inline constexpr char kPrivateKeySecretNameAnnotation[] = "cert-manager.io/private-key-secret-name";
inline constexpr char kCertificateNameAnnotation[] = "cert-manager.io/certificate-name";
inline constexpr char kIssuerNameAnnotation[] = "cert-manager.io/issuer-name";
inline constexpr char kIssuerKindAnnotation[] = "cert-manager.io/issuer-kind";
inline constexpr char kIssuerGroupAnnotation[] = "cert-manager.io/issuer-group";
inline constexpr char kIssueTemporaryCertificateAnnotation[] =
    "cert-manager.io/issue-temporary-certificate";
inline constexpr char kPartOfCertManagerControllerLabel[] = "controller.cert-manager.io/fao";
inline constexpr char kNextPrivateKeyLabel[] = "cert-manager.io/next-private-key";

// Condition types and reasons.
inline constexpr char kConditionReady[] = "Ready";
inline constexpr char kConditionIssuing[] = "Issuing";
inline constexpr char kConditionApproved[] = "Approved";
inline constexpr char kConditionDenied[] = "Denied";
inline constexpr char kConditionInvalidRequest[] = "InvalidRequest";
inline constexpr char kReasonPending[] = "Pending";
inline constexpr char kReasonFailed[] = "Failed";
inline constexpr char kReasonIssued[] = "Issued";
inline constexpr char kReasonDenied[] = "Denied";

}  // namespace certforge::controller
