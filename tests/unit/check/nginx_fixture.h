// A real nginx for the HTTP_GET / SSL_GET and genhash tests, started in the test's network
// namespace with a generated configuration: 127.0.0.1:8080 (HTTP) and :8443 (HTTPS, a
// self-signed certificate made at test time), each with a default server (www/) and a
// server block for vhost.example / sni.example (www2/), and an access log that records the
// client's port, the TLS server name and the request's Host.
#pragma once

#include <fmt/format.h>

#include "check/md5_digest.h"
#include "tcp_http_fixture.h"

namespace vigil::check::testing {

inline std::string md5_of(const std::string& s) {
    Md5Digest d;
    d.update(s);
    return d.final_hex();
}

class NginxTest : public ProbeTest {
  protected:
    void SetUp() override {
        ProbeTest::SetUp();
        if (HasFatalFailure()) return;
        const auto d = dir_.string();
        std::filesystem::create_directories(dir_ / "www");
        std::filesystem::create_directories(dir_ / "www2");
        std::filesystem::create_directories(dir_ / "tmp");
        write_file(dir_ / "www/index.html", index_body);
        write_file(dir_ / "www2/index.html", vhost_body);
        std::string big;
        for (int i = 0; big.size() < 3'000'000; ++i)
            big += fmt::format("line {} of a big page\n", i);
        write_file(dir_ / "www/big.txt", big);
        ASSERT_TRUE(make_certificate("cert", "test.example"));
        ASSERT_TRUE(make_certificate("other", "other.example"));
        const std::string temps = fmt::format(
            "client_body_temp_path {0}/tmp; proxy_temp_path {0}/tmp; fastcgi_temp_path {0}/tmp;"
            " uwsgi_temp_path {0}/tmp; scgi_temp_path {0}/tmp;",
            d);
        write_file(dir_ / "nginx.conf", fmt::format(R"(daemon off;
pid {0}/nginx.pid;
error_log {0}/error.log;
worker_processes 1;
events {{ worker_connections 64; }}
http {{
  {1}
  log_format probe '$remote_addr $remote_port sni=$ssl_server_name "$request" $status host=$http_host';
  access_log {0}/access.log probe;
  server {{ listen 127.0.0.1:8080 default_server; root {0}/www;
           location = /teapot {{ return 418; }} }}
  server {{ listen 127.0.0.1:8080; server_name vhost.example; root {0}/www2; }}
  server {{ listen 127.0.0.1:8443 ssl default_server; root {0}/www;
           ssl_certificate {0}/cert.pem; ssl_certificate_key {0}/cert.key; }}
  server {{ listen 127.0.0.1:8443 ssl; server_name sni.example; root {0}/www2;
           ssl_certificate {0}/cert.pem; ssl_certificate_key {0}/cert.key; }}
}}
)",
                                                    d, temps));
        nginx_ = &start("nginx -c " + d + "/nginx.conf");
        ASSERT_TRUE(wait_listening(8080)) << read_file(dir_ / "error.log");
        ASSERT_TRUE(wait_listening(8443));
    }

    bool make_certificate(const std::string& name, const std::string& cn) {
        return sh(fmt::format(
            "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 "
            "-subj /CN={2} -keyout {0}/{1}.key -out {0}/{1}.pem",
            dir_.string(), name, cn));
    }

    // nginx logs a request after sending its reply: wait a little for a line to appear.
    std::string access_log(std::string_view wait_for = "\n") const {
        std::string log;
        for (int i = 0; i < 40; ++i) {
            log = read_file(dir_ / "access.log");
            if (log.find(wait_for) != std::string::npos) break;
            std::this_thread::sleep_for(25ms);
        }
        return log;
    }

    static constexpr const char* index_body = "hello from vigil's test nginx\n";
    static constexpr const char* vhost_body = "the vhost.example server block\n";
    ChildProcess* nginx_ = nullptr;
};

}  // namespace vigil::check::testing
