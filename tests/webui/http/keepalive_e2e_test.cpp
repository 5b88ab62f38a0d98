// Request desynchronization: a POST that homecad refuses before reading its
// body (no session, no token, plain HTTP) must not leave that body in a
// keep-alive connection, where it would be parsed as the next request. The
// body here is itself a request ("smuggled"), pipelined with an honest one.
#include <catch2/catch.hpp>

#include "tests/support/appliance.h"

namespace homeca::testing {
namespace {

// Sends POST `path` with `body` and then GET `next` on one connection;
// prints the two status codes ("EOF" when the server closed instead).
constexpr char kPipeline[] = R"py(
import socket, ssl, sys
port, tls, path, body, nxt = int(sys.argv[1]), sys.argv[2] == 'tls', sys.argv[3], sys.argv[4], sys.argv[5]
if body.startswith('big:'):
    body = 'x' * int(body[4:])
s = socket.create_connection(('127.0.0.1', port), timeout=10)
if tls:
    ctx = ssl.create_default_context()
    ctx.check_hostname = False
    ctx.verify_mode = ssl.CERT_NONE
    s = ctx.wrap_socket(s)
data = body.encode()
try:
    s.sendall(('POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n'
               'Content-Length: %d\r\n\r\n' % (path, len(data))).encode() + data +
              ('GET %s HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n' % nxt).encode())
except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
    pass  # the server may close before reading all of a body it refused
buf = b''
def response():
    global buf
    while b'\r\n\r\n' not in buf:
        try:
            chunk = s.recv(65536)
        except (ConnectionResetError, ssl.SSLError):
            chunk = b''
        if not chunk:
            return 'EOF'
        buf += chunk
    head, buf = buf.split(b'\r\n\r\n', 1)
    lines = head.decode().split('\r\n')
    length = 0
    for line in lines[1:]:
        name, _, value = line.partition(':')
        if name.lower() == 'content-length':
            length = int(value)
    while len(buf) < length:
        chunk = s.recv(65536)
        if not chunk:
            break
        buf += chunk
    buf = buf[length:]
    return lines[0].split(' ')[1]
print(response(), response())
)py";

std::string Pipeline(unsigned short port, bool tls, const std::string& path,
                     const std::string& body, const std::string& next) {
  ProcessResult r = Run(
      {"python3", "-c", kPipeline, std::to_string(port), tls ? "tls" : "plain", path, body, next});
  INFO(r.err);
  REQUIRE(r.exit_code == 0);
  return r.out.substr(0, r.out.find('\n'));
}

TEST_CASE("a refused POST leaves its keep-alive connection clean") {
  Appliance appliance;
  const std::string smuggled = "GET /smuggled HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n";
  // HTTPS: no session (admin page), no token (API), unknown page.
  CHECK(Pipeline(appliance.https_port(), true, "/devices/add", smuggled, "/login") == "403 200");
  CHECK(Pipeline(appliance.https_port(), true, "/api/v1/pairings", smuggled, "/login") ==
        "401 200");
  CHECK(Pipeline(appliance.https_port(), true, "/nowhere", smuggled, "/login") == "404 200");
  // Plain HTTP refuses every POST.
  CHECK(Pipeline(appliance.http_port(), false, "/login", smuggled, "/") == "405 200");
  CHECK(Pipeline(appliance.http_port(), false, "/", smuggled, "/") == "405 200");
  // Too big to skip: the connection closes rather than parse the rest. (The
  // 403 itself may be lost to the TCP reset that closing with unread data
  // causes; what matters is that nothing after it is answered.)
  const std::string big =
      Pipeline(appliance.https_port(), true, "/devices/add", "big:2000000", "/login");
  CHECK((big == "403 EOF" || big == "EOF EOF"));
}

}  // namespace
}  // namespace homeca::testing
