#pragma once
// Password hashing (Argon2id through libsodium) and random tokens from its CSPRNG.
#include <string>

namespace liufang::model {

// crypto_pwhash_str (Argon2id, interactive limits). Throws std::runtime_error if out of memory.
std::string hashPassword(const std::string& password);
// True if password matches a hashPassword() result; false for an empty or malformed hash.
bool verifyPassword(const std::string& hash, const std::string& password);
// `bytes` random bytes as lower-case hex (session tokens, CSRF tokens).
std::string randomToken(size_t bytes = 32);

}  // namespace liufang::model
