package io.buildq.cli;

import io.buildq.internal.tls.ServerTls;
import java.nio.file.Path;

/** A listener's certificate and key options: both or neither, read at start so that a mistake stops it there. */
final class TlsFiles {

    private TlsFiles() {
    }

    /** The TLS identity the two files hold, or null for plain HTTP when neither was given. */
    static ServerTls load(Path certificate, String certificateFlag, Path key, String keyFlag) {
        boolean hasCertificate = certificate != null && !certificate.toString().isEmpty();
        boolean hasKey = key != null && !key.toString().isEmpty();
        if (hasCertificate != hasKey) {
            throw new IllegalArgumentException("give both " + certificateFlag + " and " + keyFlag + ", or neither");
        }
        return hasCertificate ? ServerTls.fromPemFiles(certificate, key) : null;
    }
}
