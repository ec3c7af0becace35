import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A one-file TCP service for the native backend tests: {@code java TinyServer.java}; answers "hello". */
public class TinyServer {
    public static void main(String[] args) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"))) {
            System.out.println("listening on " + server.getLocalPort());
            System.out.flush();
            while (true) {
                try (Socket client = server.accept()) {
                    OutputStream out = client.getOutputStream();
                    out.write("hello\n".getBytes(StandardCharsets.UTF_8));
                    out.flush();
                }
            }
        }
    }
}
