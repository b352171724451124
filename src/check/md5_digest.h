// A streaming MD5 (OpenSSL EVP) for HTTP_GET digests: bodies are hashed as they arrive, so a
// page of any size is checked in constant memory.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <openssl/evp.h>

namespace vigil::check {

class Md5Digest {
  public:
    Md5Digest();
    void update(std::string_view bytes);
    // 32 lower-case hex digits, keepalived's and genhash's format. Ends the digest.
    std::string final_hex();

  private:
    struct Free {
        void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
    };
    std::unique_ptr<EVP_MD_CTX, Free> ctx_;
};

}  // namespace vigil::check
