#include "lib/pki/certificate_names.h"

#include "lib/pki/distinguished_name.h"
#include "lib/pki/openssl_ptr.h"

namespace certforge::pki {

SubjectAltNames CertificateAltNames(const Certificate& certificate) {
  GeneralNamesPtr names(static_cast<GENERAL_NAMES*>(
      X509_get_ext_d2i(certificate.fields(), NID_subject_alt_name, nullptr, nullptr)));
  return DecodeGeneralNames(names.get());
}

X509Subject CertificateSubject(const Certificate& certificate) {
  const X509_NAME* name = X509_get_subject_name(certificate.fields());
  X509Subject s;
  s.organizations = NameValues(name, NID_organizationName);
  s.countries = NameValues(name, NID_countryName);
  s.organizational_units = NameValues(name, NID_organizationalUnitName);
  s.localities = NameValues(name, NID_localityName);
  s.provinces = NameValues(name, NID_stateOrProvinceName);
  s.street_addresses = NameValues(name, NID_streetAddress);
  s.postal_codes = NameValues(name, NID_postalCode);
  auto serials = NameValues(name, NID_serialNumber);
  if (!serials.empty()) s.serial_number = serials.back();
  return s;
}

}  // namespace certforge::pki
