#include "check/md5_digest.h"

#include <array>
#include <cassert>

#include <fmt/format.h>

namespace vigil::check {

Md5Digest::Md5Digest() : ctx_(EVP_MD_CTX_new()) {
    // Allocation or MD5 being unavailable is an environment bug, not an input error.
    [[maybe_unused]] const int ok = ctx_ ? EVP_DigestInit_ex(ctx_.get(), EVP_md5(), nullptr) : 0;
    assert(ok == 1);
}

void Md5Digest::update(std::string_view bytes) {
    if (!bytes.empty()) EVP_DigestUpdate(ctx_.get(), bytes.data(), bytes.size());
}

std::string Md5Digest::final_hex() {
    std::array<unsigned char, EVP_MAX_MD_SIZE> md{};
    unsigned int len = 0;
    EVP_DigestFinal_ex(ctx_.get(), md.data(), &len);
    std::string hex;
    hex.reserve(std::size_t{len} * 2);
    for (unsigned i = 0; i < len; ++i) hex += fmt::format("{:02x}", md[i]);
    return hex;
}

}  // namespace vigil::check
