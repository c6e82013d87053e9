// Signed notes and checkpoints: known answers from the reference
// implementation, round trips, tampering, and the key file.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "projections/checkpoint.h"
#include "projections/signed_note.h"

namespace pl {
namespace {

constexpr std::string_view kEmDash = "\xE2\x80\x94";

// The example key and note of golang.org/x/mod/sumdb/note (note.go package
// documentation), the reference implementation of c2sp.org/signed-note.
constexpr std::string_view kGoPrivateKey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
constexpr std::string_view kGoVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
constexpr std::string_view kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
constexpr std::string_view kGoSignature =
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";

std::string GoNote() {
  return std::string(kGoText) + "\n" + std::string(kEmDash) + " PeterNeumann " +
         std::string(kGoSignature) + "\n";
}

// A fixed checkpoint: seed 00 01 .. 1f, the 8-leaf RFC 6962 vector root.
// Expected values computed independently with Python's `cryptography`
// (Ed25519 is deterministic, RFC 8032).
constexpr std::string_view kFixedName = "permits.example/log";
constexpr std::string_view kFixedVerifierKey =
    "permits.example/log+434bd662+AQOhB7/zzhC+HXDdGOdLwJln5NYwm6UNXx3chmQSVTG4";
constexpr std::string_view kFixedNote =
    "permits.example/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n"
    "\xE2\x80\x94 permits.example/log "
    "Q0vWYvIdbUgeTIQFY+X9+qYhxT0aQ7vgmhgJ+TGd+D6Dbmr/"
    "bTI9HTR7vTXgskmUNisp7OTPccfsx7E14K7uS1m0Xg4=\n";
constexpr char kRoot8[] = "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328";

std::array<uint8_t, 32> FixedSeed() {
  std::array<uint8_t, 32> seed;
  for (size_t i = 0; i < seed.size(); ++i) seed[i] = static_cast<uint8_t>(i);
  return seed;
}

CheckpointSigner FixedSigner() {
  auto signer = CheckpointSigner::FromSeed(kFixedName, FixedSeed());
  EXPECT_TRUE(signer.ok());
  return std::move(signer).value();
}

TEST(SignedNote, ReferenceImplementationKnownAnswer) {
  auto signer = CheckpointSigner::FromPrivateKey(kGoPrivateKey);
  ASSERT_TRUE(signer.ok()) << signer.status().ToString();
  EXPECT_EQ(signer->verifier_key(), kGoVerifierKey);
  auto note = signer->SignNote(kGoText);
  ASSERT_TRUE(note.ok());
  EXPECT_EQ(*note, GoNote());

  auto key = ParseVerifierKey(kGoVerifierKey);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->key_id, 0xc74f20a3u);
  auto text = OpenNote(GoNote(), *key);
  ASSERT_TRUE(text.ok()) << text.status().ToString();
  EXPECT_EQ(*text, kGoText);
}

TEST(SignedNote, RejectsBadVerifierAndPrivateKeys) {
  EXPECT_EQ(ParseVerifierKey("PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
                .status()
                .code(),
            "invalid_key");  // id does not match
  EXPECT_FALSE(
      ParseVerifierKey("PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW")
          .ok());  // not Ed25519
  EXPECT_FALSE(ParseVerifierKey("PeterNeumann+c74f20a3").ok());
  EXPECT_FALSE(ParseVerifierKey("").ok());
  std::string bad(kGoPrivateKey);
  bad[bad.size() - 2] = 'A';
  EXPECT_EQ(CheckpointSigner::FromPrivateKey(bad).status().code(), "invalid_key");
  EXPECT_FALSE(CheckpointSigner::FromPrivateKey(kGoVerifierKey).ok());
  EXPECT_FALSE(CheckpointSigner::FromSeed("has space", FixedSeed()).ok());
  EXPECT_FALSE(CheckpointSigner::FromSeed("a+b", FixedSeed()).ok());
}

TEST(SignedNote, IgnoresOtherSignersAndRejectsMalformedNotes) {
  auto key = *ParseVerifierKey(kGoVerifierKey);
  CheckpointSigner other = FixedSigner();
  // A second signature by an unknown key, before and after, changes nothing.
  std::string other_line = other.SignNote(kGoText)->substr(kGoText.size() + 1);
  std::string two = GoNote() + other_line;
  EXPECT_TRUE(OpenNote(two, key).ok());
  std::string before =
      std::string(kGoText) + "\n" + other_line + GoNote().substr(kGoText.size() + 1);
  EXPECT_TRUE(OpenNote(before, key).ok());
  // Only unknown signatures.
  EXPECT_EQ(OpenNote(*other.SignNote(kGoText), key).status().code(), "unknown_key");

  EXPECT_EQ(OpenNote(kGoText, key).status().code(), "malformed_note");  // no signatures
  std::string no_newline = GoNote();
  no_newline.pop_back();
  EXPECT_EQ(OpenNote(no_newline, key).status().code(), "malformed_note");
  std::string hyphen = GoNote();
  hyphen.replace(kGoText.size() + 1, kEmDash.size(), "-");
  EXPECT_EQ(OpenNote(hyphen, key).status().code(), "malformed_note");
  std::string control = GoNote();
  control[3] = '\t';
  EXPECT_EQ(OpenNote(control, key).status().code(), "malformed_note");
  std::string not_utf8 = GoNote();
  not_utf8[3] = '\xff';
  EXPECT_EQ(OpenNote(not_utf8, key).status().code(), "malformed_note");
  EXPECT_FALSE(other.SignNote("no newline").ok());
  EXPECT_FALSE(other.SignNote("").ok());
}

TEST(Checkpoint, FixedSeedKnownAnswer) {
  CheckpointSigner signer = FixedSigner();
  EXPECT_EQ(signer.verifier_key(), kFixedVerifierKey);
  const Hash root = *HashFromHex(kRoot8);
  EXPECT_EQ(signer.SignCheckpoint(8, root), kFixedNote);
  auto cp = VerifyCheckpoint(kFixedNote, kFixedVerifierKey);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(*cp, (Checkpoint{std::string(kFixedName), 8, root}));
}

TEST(Checkpoint, RoundTripsAndDetectsTampering) {
  CheckpointSigner signer = FixedSigner();
  const std::string vkey = signer.verifier_key();
  const Hash root = HashLeaf("some root");
  const std::string note = signer.SignCheckpoint(1234567, root);
  auto cp = VerifyCheckpoint(note, vkey);
  ASSERT_TRUE(cp.ok()) << cp.status().ToString();
  EXPECT_EQ(cp->origin, kFixedName);
  EXPECT_EQ(cp->size, 1234567u);
  EXPECT_EQ(cp->root, root);

  std::string size_changed = note;
  size_changed.replace(size_changed.find("1234567"), 7, "1234568");
  EXPECT_EQ(VerifyCheckpoint(size_changed, vkey).status().code(), "bad_signature");

  const std::string root_b64 = note.substr(note.find("\n", note.find("\n") + 1) + 1, 44);
  std::string root_changed = note;
  root_changed[root_changed.find(root_b64)] ^= 1;
  EXPECT_EQ(VerifyCheckpoint(root_changed, vkey).status().code(), "bad_signature");

  std::string sig_changed = note;
  sig_changed[sig_changed.size() - 10] = sig_changed[sig_changed.size() - 10] == 'A' ? 'B' : 'A';
  EXPECT_EQ(VerifyCheckpoint(sig_changed, vkey).status().code(), "bad_signature");

  // Another key, even under the same name, is not the log's key.
  std::array<uint8_t, 32> seed2 = FixedSeed();
  seed2[0] ^= 1;
  auto impostor = CheckpointSigner::FromSeed(kFixedName, seed2);
  ASSERT_TRUE(impostor.ok());
  EXPECT_EQ(VerifyCheckpoint(impostor->SignCheckpoint(1234567, root), vkey).status().code(),
            "unknown_key");
  EXPECT_EQ(VerifyCheckpoint(note, impostor->verifier_key()).status().code(), "unknown_key");
  EXPECT_EQ(VerifyCheckpoint(note, "not a key").status().code(), "invalid_key");
}

TEST(Checkpoint, ParseIsStrict) {
  const std::string root = "XcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=";
  EXPECT_TRUE(ParseCheckpoint("o\n0\n" + root + "\n").ok());
  EXPECT_TRUE(ParseCheckpoint("o\n5\n" + root + "\nextension\n").ok());
  for (const std::string& bad : std::vector<std::string>{
           "o\n5\n" + root, "o\n05\n" + root + "\n", "o\n-5\n" + root + "\n",
           "o\n5x\n" + root + "\n", "o\n18446744073709551616\n" + root + "\n",
           "\n5\n" + root + "\n", "o\n5\n\n", "o\n5\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQy=\n",
           "o\n5\n" + root + "\n\nx\n", std::string("o\n5\n")}) {
    EXPECT_EQ(ParseCheckpoint(bad).status().code(), "malformed_checkpoint") << bad;
  }
  Checkpoint cp{"example.com/log", 20852163, HashLeaf("x")};
  EXPECT_EQ(*ParseCheckpoint(FormatCheckpoint(cp)), cp);
}

class CheckpointKeyFile : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("pl-checkpoint-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "checkpoint.key").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(CheckpointKeyFile, CreatesOnFirstStartAndLoadsTheSameKeyAfter) {
  auto first = CheckpointSigner::LoadOrCreate(path_, "permits.example/log");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  struct stat st;
  ASSERT_EQ(::stat(path_.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(path_);
  std::string contents((std::istreambuf_iterator<char>(in)), {});
  EXPECT_TRUE(contents.starts_with("PRIVATE+KEY+permits.example/log+")) << "format";
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir_), {}), 1);  // no temp left

  auto second = CheckpointSigner::LoadOrCreate(path_, "permits.example/log");
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_EQ(second->verifier_key(), first->verifier_key());
  const std::string note = first->SignCheckpoint(3, HashLeaf("r"));
  EXPECT_TRUE(VerifyCheckpoint(note, second->verifier_key()).ok());

  EXPECT_EQ(CheckpointSigner::LoadOrCreate(path_, "other.example/log").status().code(),
            "key_mismatch");
}

TEST_F(CheckpointKeyFile, RefusesAKeyFileOthersCanRead) {
  ASSERT_TRUE(CheckpointSigner::LoadOrCreate(path_, "permits.example/log").ok());
  ::chmod(path_.c_str(), 0644);
  auto loaded = CheckpointSigner::LoadOrCreate(path_, "permits.example/log");
  EXPECT_EQ(loaded.status().code(), "insecure_key_file");
  EXPECT_EQ(loaded.status().message().find("PRIVATE"), std::string::npos);
}

TEST_F(CheckpointKeyFile, RefusesAGarbledKeyWithoutEchoingIt) {
  {
    std::ofstream out(path_);
    out << "PRIVATE+KEY+permits.example/log+00000000+secretsecret\n";
  }
  ::chmod(path_.c_str(), 0600);
  auto loaded = CheckpointSigner::LoadOrCreate(path_, "permits.example/log");
  EXPECT_EQ(loaded.status().code(), "invalid_key");
  EXPECT_EQ(loaded.status().message().find("secret"), std::string::npos);
}

TEST_F(CheckpointKeyFile, ReportsAMissingDirectory) {
  auto loaded = CheckpointSigner::LoadOrCreate((dir_ / "nope" / "k").string(), "a.example/log");
  EXPECT_EQ(loaded.status().code(), "key_file");
}

}  // namespace
}  // namespace pl
