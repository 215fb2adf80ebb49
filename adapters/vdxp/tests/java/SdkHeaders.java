// The signing steps of the VPCP Java SDK (SDKVXP 2.0.1, github.com/williamdunbar/SDK,
// com/vpcp/services/VnptService.java addXroadVnptHashHeader, KnobstickServiceImp.java
// createContentHA256) rebuilt from that recipe with the JDK's own HashMap, Mac and
// MessageDigest, so egovkit's tests can compare against the real Java behaviour.
// Gson is not on the test machine: the JSON object is written by hand, which is what
// JsonObject.toString() gives for plain ASCII values (quotes and backslashes escaped).
//
// Usage: java SdkHeaders.java SECRET FILE name=value...   (names in the order they are put)
import java.nio.file.Files;
import java.nio.file.Paths;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

public class SdkHeaders {
    static String quote(String text) {
        return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    public static void main(String[] args) throws Exception {
        HashMap<String, String> headers = new HashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            headers.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        if (!args[1].isEmpty()) {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] digest = md.digest(Files.readAllBytes(Paths.get(args[1])));
            StringBuffer hex = new StringBuffer();
            for (byte b : digest) hex.append(Integer.toHexString(0xFF & b));
            headers.put("hash-file", hex.toString());
        }
        StringBuilder keys = new StringBuilder();
        StringBuilder json = new StringBuilder("{");
        for (Map.Entry<String, String> entry : headers.entrySet()) {
            if (keys.length() > 0) { keys.append(';'); json.append(','); }
            keys.append(entry.getKey());
            json.append(quote("XroadVnpt-" + entry.getKey())).append(':').append(quote(entry.getValue()));
        }
        json.append('}');
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(args[0].getBytes("UTF-8"), "HmacSHA256"));
        byte[] sum = mac.doFinal(json.toString().getBytes("UTF-8"));
        StringBuilder hash = new StringBuilder();
        for (byte b : sum) hash.append(String.format("%02x", b));
        System.out.println(keys);
        System.out.println(json);
        System.out.println(hash);
    }
}
