package io.mme.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback link to a TCP server (PostgreSQL in the crash test) that the test can sever and
 * restore on the same port, so that an engine pointed at it sees an outage without the shared server
 * being touched. Severed: the listening socket is closed (new connections are refused) and every
 * open connection is reset. One accepting thread while open, and one thread per direction of each
 * connection; all daemon threads.
 */
final class SeverableLink implements AutoCloseable {
    private final InetSocketAddress target;
    private final int port;
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private ServerSocket listening;

    SeverableLink(String host, int targetPort) throws IOException {
        this.target = new InetSocketAddress(host, targetPort);
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.port = server.getLocalPort();
        accept(server);
    }

    /** the loopback port to connect to instead of the server's */
    int port() {
        return port;
    }

    synchronized boolean isSevered() {
        return listening == null;
    }

    /** refuses new connections and resets the open ones */
    synchronized void sever() throws IOException {
        if (listening == null) {
            return;
        }
        listening.close();
        listening = null;
        for (Socket s : open) {
            try {
                s.setSoLinger(true, 0);
                s.close();
            } catch (IOException ignored) {
                // already gone
            }
        }
        open.clear();
    }

    /** accepts connections on the same port again */
    synchronized void restore() throws IOException {
        if (listening != null) {
            return;
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        accept(server);
    }

    private void accept(ServerSocket server) {
        listening = server;
        Thread acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    Socket client = server.accept();
                    Socket upstream = new Socket();
                    upstream.connect(target, 2_000);
                    open.add(client);
                    open.add(upstream);
                    copy(client, upstream);
                    copy(upstream, client);
                } catch (IOException closed) {
                    return;
                }
            }
        }, "severable-link-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void copy(Socket from, Socket to) {
        Thread t = new Thread(() -> {
            byte[] buffer = new byte[32 * 1024];
            try {
                InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream();
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                }
            } catch (IOException ended) {
                // either side went away: the other follows
            } finally {
                open.remove(from);
                open.remove(to);
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // already closed
                }
            }
        }, "severable-link-copy");
        t.setDaemon(true);
        t.start();
    }

    @Override
    public void close() throws IOException {
        sever();
    }
}
