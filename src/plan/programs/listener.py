"""predeploy: listens on the port in argv[1] and accepts forever, a service's "ready" (src/plan/backend-services.ts)."""

import socket
import sys

server = socket.socket()
server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
server.bind(("0.0.0.0", int(sys.argv[1])))
server.listen(16)
while True:
    connection, _ = server.accept()
    connection.close()
