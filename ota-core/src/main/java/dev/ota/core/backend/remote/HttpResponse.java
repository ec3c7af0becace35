package dev.ota.core.backend.remote;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** The status and body of a raw HTTP/1.x response read off a tunnel (chunked bodies are joined). */
record HttpResponse(int status, String body) {

    static HttpResponse parse(byte[] raw) {
        String text = new String(raw, StandardCharsets.ISO_8859_1);
        int headEnd = text.indexOf("\r\n\r\n");
        String head = headEnd < 0 ? text : text.substring(0, headEnd);
        String[] lines = head.split("\r\n");
        if (lines.length == 0 || !lines[0].startsWith("HTTP/")) {
            return new HttpResponse(0, "");
        }
        String[] statusLine = lines[0].split(" ", 3);
        int status;
        try {
            status = statusLine.length > 1 ? Integer.parseInt(statusLine[1].trim()) : 0;
        } catch (NumberFormatException e) {
            status = 0;
        }
        boolean chunked = false;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].toLowerCase(Locale.ROOT);
            if (l.startsWith("transfer-encoding:") && l.contains("chunked")) {
                chunked = true;
            }
        }
        int bodyStart = headEnd < 0 ? raw.length : headEnd + 4;
        byte[] body = java.util.Arrays.copyOfRange(raw, Math.min(bodyStart, raw.length), raw.length);
        return new HttpResponse(status, new String(chunked ? dechunk(body) : body, StandardCharsets.UTF_8));
    }

    private static byte[] dechunk(byte[] body) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int i = 0;
        while (i < body.length) {
            int lineEnd = indexOf(body, i);
            if (lineEnd < 0) {
                break;
            }
            String sizeText = new String(body, i, lineEnd - i, StandardCharsets.ISO_8859_1).split(";")[0].trim();
            int size;
            try {
                size = Integer.parseInt(sizeText, 16);
            } catch (NumberFormatException e) {
                break;
            }
            if (size == 0) {
                break;
            }
            int start = lineEnd + 2;
            int n = Math.min(size, body.length - start);
            out.write(body, start, Math.max(0, n));
            i = start + size + 2;
        }
        return out.toByteArray();
    }

    private static int indexOf(byte[] b, int from) {
        for (int i = from; i + 1 < b.length; i++) {
            if (b[i] == '\r' && b[i + 1] == '\n') {
                return i;
            }
        }
        return -1;
    }
}
