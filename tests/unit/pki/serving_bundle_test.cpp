#include "lib/pki/serving_bundle.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <string>

#include "lib/pki/certificate_builder.h"
#include "tests/unit/pki/pki_test_util.h"

namespace certforge::pki {
namespace {

using std::chrono::days;
using std::chrono::hours;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;
using TimePoint = std::chrono::system_clock::time_point;

const std::vector<std::string> kHosts = {"localhost", "127.0.0.1", "::1"};

int Mode(const std::string& path) {
  struct stat info {};
  EXPECT_EQ(stat(path.c_str(), &info), 0) << path;
  return static_cast<int>(info.st_mode & 0777);
}

double DaysBetween(TimePoint from, TimePoint to) {
  return std::chrono::duration<double, std::ratio<86400>>(to - from).count();
}

struct Files {
  std::string ca_cert, ca_key, cert, key;
  bool operator==(const Files&) const = default;
};

Files ReadAll(const test::ScratchDir& dir) {
  return {test::ReadFileOrDie(dir.File("ca.crt")), test::ReadFileOrDie(dir.File("ca.key")),
          test::ReadFileOrDie(dir.File("server.crt")), test::ReadFileOrDie(dir.File("server.key"))};
}

TEST(ServingBundle, CreatesCaAndServingCertificateWithPrivateKeyFiles) {
  test::ScratchDir dir;
  std::string folder = dir.File("tls/nested");  // missing folders are created
  absl::StatusOr<ServingBundle> bundle = EnsureServingBundle(folder, "certforge local CA", kHosts);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  EXPECT_EQ(bundle->ca_cert_file, folder + "/ca.crt");
  EXPECT_EQ(bundle->cert_file, folder + "/server.crt");
  EXPECT_EQ(bundle->key_file, folder + "/server.key");
  EXPECT_EQ(Mode(folder + "/ca.key"), 0600);
  EXPECT_EQ(Mode(bundle->key_file), 0600);
  EXPECT_EQ(Mode(bundle->cert_file), 0644);
  EXPECT_EQ(Mode(bundle->ca_cert_file), 0644);
  EXPECT_EQ(Mode(folder), 0700);
  EXPECT_EQ(bundle->ca_pem, test::ReadFileOrDie(bundle->ca_cert_file));

  auto now = std::chrono::system_clock::now();
  absl::StatusOr<Certificate> ca = Certificate::FromPem(bundle->ca_pem);
  ASSERT_TRUE(ca.ok()) << ca.status();
  EXPECT_EQ(ca->CommonName(), "certforge local CA");
  EXPECT_TRUE(ca->IsCa());
  EXPECT_THAT(ca->KeyUsages(), ::testing::Contains(KeyUsage::kKeyCertSign));
  EXPECT_NEAR(DaysBetween(now, ca->NotAfter()), 3650, 1);
  absl::StatusOr<PrivateKey> ca_key = PrivateKey::FromPem(test::ReadFileOrDie(folder + "/ca.key"));
  ASSERT_TRUE(ca_key.ok()) << ca_key.status();
  EXPECT_EQ(ca_key->algorithm(), KeyAlgorithm::kEcdsa);
  EXPECT_EQ(ca_key->size(), 256);
  EXPECT_TRUE(ca->MatchesKey(*ca_key));

  absl::StatusOr<Certificate> cert = Certificate::FromPem(test::ReadFileOrDie(bundle->cert_file));
  ASSERT_TRUE(cert.ok()) << cert.status();
  absl::StatusOr<PrivateKey> key = PrivateKey::FromPem(test::ReadFileOrDie(bundle->key_file));
  ASSERT_TRUE(key.ok()) << key.status();
  EXPECT_TRUE(cert->MatchesKey(*key));
  EXPECT_TRUE(cert->IsSignedBy(*ca));
  EXPECT_FALSE(cert->IsCa());
  EXPECT_EQ(cert->CommonName(), "localhost");
  EXPECT_THAT(cert->DnsNames(), UnorderedElementsAre("localhost"));
  EXPECT_THAT(cert->IpAddresses(), UnorderedElementsAre("127.0.0.1", "::1"));
  EXPECT_THAT(cert->ExtKeyUsages(), ::testing::ElementsAre(ExtKeyUsage::kServerAuth));
  EXPECT_LE(cert->NotBefore(), now);
  EXPECT_NEAR(DaysBetween(now, cert->NotAfter()), 365, 1);
  EXPECT_TRUE(test::VerifyChain(*cert, *ca));
}

TEST(ServingBundle, SecondCallReusesEveryFile) {
  test::ScratchDir dir;
  ASSERT_TRUE(EnsureServingBundle(dir.path(), "CA", kHosts).ok());
  Files first = ReadAll(dir);
  absl::StatusOr<ServingBundle> again = EnsureServingBundle(dir.path(), "CA", kHosts);
  ASSERT_TRUE(again.ok()) << again.status();
  EXPECT_TRUE(ReadAll(dir) == first);
  EXPECT_EQ(again->ca_pem, first.ca_cert);
  // Hosts in another order, a subset, or an IP in another spelling need nothing new.
  ASSERT_TRUE(EnsureServingBundle(dir.path(), "CA", {"0:0:0:0:0:0:0:1", "localhost"}).ok());
  EXPECT_TRUE(ReadAll(dir) == first);
}

TEST(ServingBundle, ReissuesWithTheSameCaWhenAHostIsAdded) {
  test::ScratchDir dir;
  ASSERT_TRUE(EnsureServingBundle(dir.path(), "CA", kHosts).ok());
  Files first = ReadAll(dir);
  std::vector<std::string> more = kHosts;
  more.push_back("apiserver.example.test");
  more.push_back("10.0.0.9");
  ASSERT_TRUE(EnsureServingBundle(dir.path(), "CA", more).ok());
  Files second = ReadAll(dir);
  EXPECT_EQ(second.ca_cert, first.ca_cert);
  EXPECT_EQ(second.ca_key, first.ca_key);
  EXPECT_NE(second.cert, first.cert);
  EXPECT_NE(second.key, first.key);
  Certificate cert = *Certificate::FromPem(second.cert);
  EXPECT_THAT(cert.DnsNames(), UnorderedElementsAre("localhost", "apiserver.example.test"));
  EXPECT_THAT(cert.IpAddresses(), UnorderedElementsAre("127.0.0.1", "::1", "10.0.0.9"));
  EXPECT_TRUE(cert.IsSignedBy(*Certificate::FromPem(first.ca_cert)));
  EXPECT_EQ(Mode(dir.File("server.key")), 0600);
}

TEST(ServingBundle, ReissuesNearExpiryAndAfterIt) {
  test::ScratchDir dir;
  auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(EnsureServingBundleAt(dir.path(), "CA", kHosts, now).ok());
  Files first = ReadAll(dir);
  ASSERT_TRUE(EnsureServingBundleAt(dir.path(), "CA", kHosts, now + days(300)).ok());
  EXPECT_TRUE(ReadAll(dir) == first);  // 65 days left: kept

  ASSERT_TRUE(EnsureServingBundleAt(dir.path(), "CA", kHosts, now + days(340)).ok());
  Files renewed = ReadAll(dir);
  EXPECT_EQ(renewed.ca_cert, first.ca_cert);
  EXPECT_NE(renewed.cert, first.cert);
  EXPECT_GT(Certificate::FromPem(renewed.cert)->NotAfter(), now + days(700));

  ASSERT_TRUE(EnsureServingBundleAt(dir.path(), "CA", kHosts, now + days(2000)).ok());
  Files expired = ReadAll(dir);
  EXPECT_EQ(expired.ca_cert, first.ca_cert);
  EXPECT_NE(expired.cert, renewed.cert);
}

TEST(ServingBundle, ReplacesAnExpiringCaAndItsServingCertificate) {
  test::ScratchDir dir;
  auto now = std::chrono::system_clock::now();
  ASSERT_TRUE(EnsureServingBundleAt(dir.path(), "CA", kHosts, now).ok());
  Files first = ReadAll(dir);
  ASSERT_TRUE(EnsureServingBundleAt(dir.path(), "CA", kHosts, now + days(3640)).ok());
  Files second = ReadAll(dir);
  EXPECT_NE(second.ca_cert, first.ca_cert);
  EXPECT_NE(second.cert, first.cert);
  EXPECT_TRUE(Certificate::FromPem(second.cert)->IsSignedBy(*Certificate::FromPem(second.ca_cert)));
}

TEST(ServingBundle, ReissuesWhenTheServingFilesAreMissingOrBroken) {
  test::ScratchDir dir;
  ASSERT_TRUE(EnsureServingBundle(dir.path(), "CA", kHosts).ok());
  Files first = ReadAll(dir);
  std::filesystem::remove(dir.File("server.key"));
  ASSERT_TRUE(EnsureServingBundle(dir.path(), "CA", kHosts).ok());
  Files second = ReadAll(dir);
  EXPECT_EQ(second.ca_cert, first.ca_cert);
  EXPECT_NE(second.cert, first.cert);
  test::WriteFileOrDie(dir.File("server.crt"), "garbage");
  ASSERT_TRUE(EnsureServingBundle(dir.path(), "CA", kHosts).ok());
  EXPECT_TRUE(Certificate::FromPem(test::ReadFileOrDie(dir.File("server.crt"))).ok());
}

TEST(ServingBundle, RefusesToReplaceABrokenOrMismatchedCa) {
  test::ScratchDir dir;
  ASSERT_TRUE(EnsureServingBundle(dir.path(), "CA", kHosts).ok());
  Files first = ReadAll(dir);

  test::WriteFileOrDie(dir.File("ca.key"), *test::NewKey(KeyAlgorithm::kEcdsa, 256).ToPkcs8Pem());
  absl::StatusOr<ServingBundle> mismatched = EnsureServingBundle(dir.path(), "CA", kHosts);
  ASSERT_FALSE(mismatched.ok());
  EXPECT_EQ(mismatched.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(mismatched.status().message()), HasSubstr("does not match"));

  test::WriteFileOrDie(dir.File("ca.key"), first.ca_key);
  test::WriteFileOrDie(dir.File("ca.crt"), "not a certificate");
  absl::StatusOr<ServingBundle> unreadable = EnsureServingBundle(dir.path(), "CA", kHosts);
  ASSERT_FALSE(unreadable.ok());
  EXPECT_EQ(unreadable.status().code(), absl::StatusCode::kFailedPrecondition);
  EXPECT_THAT(std::string(unreadable.status().message()), HasSubstr("ca.crt"));
  EXPECT_EQ(test::ReadFileOrDie(dir.File("ca.crt")), "not a certificate");
}

TEST(ServingBundle, RefusesBadArguments) {
  test::ScratchDir dir;
  EXPECT_EQ(EnsureServingBundle(dir.path(), "CA", {}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EnsureServingBundle(dir.path(), "CA", {"bad host"}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EnsureServingBundle(dir.path(), "CA", {""}).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EnsureServingBundle(dir.path(), "", kHosts).status().code(),
            absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(EnsureServingBundle(dir.path(), std::string(65, 'c'), kHosts).status().code(),
            absl::StatusCode::kInvalidArgument);
  // Nothing was written for any of them.
  EXPECT_TRUE(std::filesystem::is_empty(dir.path()));
}

TEST(ServingBundle, TheOpensslCommandLineVerifiesIt) {
  test::ScratchDir dir;
  absl::StatusOr<ServingBundle> bundle = EnsureServingBundle(dir.path(), "CLI CA", kHosts);
  ASSERT_TRUE(bundle.ok()) << bundle.status();
  std::string verify = "openssl verify -CAfile " + bundle->ca_cert_file + " ";
  test::CommandResult plain = test::RunCommand(verify + bundle->cert_file);
  EXPECT_EQ(plain.exit_code, 0);
  EXPECT_EQ(plain.output, bundle->cert_file + ": OK\n");
  test::CommandResult as_server = test::RunCommand(
      verify + "-purpose sslserver -verify_hostname localhost " + bundle->cert_file);
  EXPECT_EQ(as_server.output, bundle->cert_file + ": OK\n");
  test::CommandResult by_ip =
      test::RunCommand(verify + "-purpose sslserver -verify_ip ::1 " + bundle->cert_file);
  EXPECT_EQ(by_ip.output, bundle->cert_file + ": OK\n");
  test::CommandResult wrong_host =
      test::RunCommand(verify + "-verify_hostname other.example " + bundle->cert_file);
  EXPECT_NE(wrong_host.exit_code, 0);
  EXPECT_THAT(wrong_host.output, HasSubstr("hostname mismatch"));
}

// The re-issue decision on its own, at chosen times.
struct ProblemCase {
  std::string name;
  std::function<TimePoint(TimePoint)> now;  // from the certificate's issuance time
  std::vector<std::string> hosts;
  bool wrong_key;
  bool other_ca;
  std::string problem;  // "" = keep
};

class ServingCertificateProblemTest : public ::testing::TestWithParam<ProblemCase> {};

TEST_P(ServingCertificateProblemTest, Decides) {
  const ProblemCase& c = GetParam();
  const PrivateKey& ca_key = test::CachedKey(KeyAlgorithm::kEcdsa, 256);
  Certificate ca = test::MakeCa(ca_key, "Problem CA");
  const PrivateKey& key = test::CachedKey(KeyAlgorithm::kEcdsa, 384);
  TimePoint issued = std::chrono::system_clock::now();
  absl::StatusOr<Certificate> cert = CertificateBuilder()
                                         .SetDnsNames({"localhost", "api.example.test"})
                                         .SetIpAddresses({"127.0.0.1", "::1"})
                                         .SetValidity(issued - hours(1), issued + days(365))
                                         .SignWith(ca, ca_key, key);
  ASSERT_TRUE(cert.ok()) << cert.status();
  Certificate other = test::MakeCa(ca_key, "Another CA");
  std::optional<std::string> problem = ServingCertificateProblem(
      *cert, c.wrong_key ? test::CachedKey(KeyAlgorithm::kEcdsa, 521) : key,
      c.other_ca ? other : ca, c.hosts, c.now(issued));
  EXPECT_EQ(problem.value_or(""), c.problem);
}

TimePoint Plus(TimePoint t, std::chrono::seconds d) { return t + d; }

INSTANTIATE_TEST_SUITE_P(
    Table, ServingCertificateProblemTest,
    ::testing::Values(
        ProblemCase{"Fresh", [](TimePoint t) { return t; }, kHosts, false, false, ""},
        ProblemCase{
            "SubsetOfHosts", [](TimePoint t) { return t; }, {"api.example.test"}, false, false, ""},
        ProblemCase{"IpInAnotherSpelling",
                    [](TimePoint t) { return t; },
                    {"0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"},
                    false,
                    false,
                    ""},
        ProblemCase{"ThirtyOneDaysLeft", [](TimePoint t) { return Plus(t, days(334)); }, kHosts,
                    false, false, ""},
        ProblemCase{"TwentyNineDaysLeft", [](TimePoint t) { return Plus(t, days(336)); }, kHosts,
                    false, false, "expires within 30 days"},
        ProblemCase{"Expired", [](TimePoint t) { return Plus(t, days(366)); }, kHosts, false, false,
                    "expired"},
        ProblemCase{"NotYetValid", [](TimePoint t) { return Plus(t, -hours(2)); }, kHosts, false,
                    false, "not valid yet"},
        ProblemCase{"MissingDnsName",
                    [](TimePoint t) { return t; },
                    {"localhost", "new.example.test"},
                    false,
                    false,
                    "lacks host new.example.test"},
        ProblemCase{"MissingIp",
                    [](TimePoint t) { return t; },
                    {"localhost", "10.1.1.1"},
                    false,
                    false,
                    "lacks host 10.1.1.1"},
        ProblemCase{"WrongKey", [](TimePoint t) { return t; }, kHosts, true, false,
                    "the key does not match the certificate"},
        ProblemCase{"OtherCa", [](TimePoint t) { return t; }, kHosts, false, true,
                    "not issued by the current CA"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace certforge::pki
