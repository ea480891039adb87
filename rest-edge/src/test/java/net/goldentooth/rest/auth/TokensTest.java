package net.goldentooth.rest.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokensTest {

    private static final String SECRET = "s3cret-token-value";

    @Test
    void aTokenIsFoundByItsHashAndAnUnknownOneIsNot() {
        Tokens tokens = Tokens.parse(List.of("# comment", "", Tokens.sha256(SECRET) + " operator ci-bot"), "t");
        assertEquals(new Caller("ci-bot", Role.OPERATOR, "token"), tokens.lookup(SECRET).orElseThrow());
        assertFalse(tokens.lookup("other").isPresent());
        assertFalse(tokens.lookup(Tokens.sha256(SECRET)).isPresent(), "the hash itself is not a token");
    }

    @Test
    void theHashIsWhatSha256sumPrints() {
        // printf %s abc | sha256sum
        assertEquals("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", Tokens.sha256("abc"));
    }

    @Test
    void aTokenPastedInPlaceOfItsHashIsRefusedWithoutEchoingIt() {
        TokenFileException e = assertThrows(TokenFileException.class,
                () -> Tokens.parse(List.of(SECRET + " admin me"), "goldentooth.auth.tokens-file /x"));
        assertTrue(e.getMessage().contains("goldentooth.auth.tokens-file /x line 1"), e.getMessage());
        assertFalse(e.getMessage().contains(SECRET), e.getMessage());
    }

    @Test
    void malformedLinesNameTheLineAndTheProblem() {
        String hash = Tokens.sha256("x");
        assertTrue(assertThrows(TokenFileException.class, () -> Tokens.parse(List.of("#", hash + " root me"), "f"))
                .getMessage().contains("f line 2: unknown role 'root'; roles: viewer, operator, admin"));
        assertTrue(assertThrows(TokenFileException.class, () -> Tokens.parse(List.of(hash + " admin"), "f"))
                .getMessage().contains("expected 3 fields"));
        assertTrue(assertThrows(TokenFileException.class,
                () -> Tokens.parse(List.of(hash + " admin a", hash + " viewer b"), "f"))
                .getMessage().contains("line 2: the same token hash appears twice"));
    }

    @Test
    void aMissingFileNamesTheKey(@TempDir Path dir) {
        TokenFileException e = assertThrows(TokenFileException.class, () -> Tokens.load(dir.resolve("nope")));
        assertTrue(e.getMessage().startsWith("goldentooth.auth.tokens-file " + dir.resolve("nope")), e.getMessage());
    }

    @Test
    void loadsAFile(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("tokens");
        Files.writeString(file, Tokens.sha256(SECRET).toUpperCase() + "  admin  alice\n");
        assertEquals(Role.ADMIN, Tokens.load(file).lookup(SECRET).orElseThrow().role());
    }
}
