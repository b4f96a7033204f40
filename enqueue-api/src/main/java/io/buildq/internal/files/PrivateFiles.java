package io.buildq.internal.files;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Files and directories only their owner may read: buildq's data directory, its secret key, the
 * demo database's password. On a POSIX file system the mode is set as the file is created, so
 * there is no moment at which another local user could open it; elsewhere the platform's defaults
 * stand.
 */
public final class PrivateFiles {

    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIRECTORY = PosixFilePermissions.fromString("rwx------");

    private PrivateFiles() {
    }

    /** Creates the directory (and its parents) as 0700, or makes an existing one 0700. */
    public static Path ownerOnlyDirectory(Path directory) {
        try {
            Files.createDirectories(directory);
            if (POSIX) {
                Files.setPosixFilePermissions(directory, OWNER_DIRECTORY);
            }
            return directory;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the directory " + directory, e);
        }
    }

    /** Writes a new file, 0600 from its creation; fails if it exists already. */
    public static void createOwnerOnly(Path file, String content) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            var options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            try (FileChannel channel = POSIX
                    ? FileChannel.open(file, options, PosixFilePermissions.asFileAttribute(OWNER_FILE))
                    : FileChannel.open(file, options);
                 Writer writer = Channels.newWriter(channel, StandardCharsets.UTF_8)) {
                writer.write(content);
            }
            if (POSIX) {
                // The umask may have taken bits away, never added any; this only makes sure of 0600.
                Files.setPosixFilePermissions(file, OWNER_FILE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    /** Makes the regular files directly in {@code directory} 0600: files a library made with the umask's mode. */
    public static void ownerOnlyFilesIn(Path directory) {
        if (!POSIX) {
            return;
        }
        try (var files = Files.list(directory)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                Files.setPosixFilePermissions(file, OWNER_FILE);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot make the files of " + directory + " private", e);
        }
    }

    /** Whether anyone but the owner may read the file (its group or others), on a POSIX file system. */
    public static boolean readableByOthers(Path file) {
        if (!POSIX) {
            return false;
        }
        try {
            Set<PosixFilePermission> mode = Files.getPosixFilePermissions(file);
            return mode.contains(PosixFilePermission.GROUP_READ) || mode.contains(PosixFilePermission.OTHERS_READ);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the mode of " + file, e);
        }
    }
}
