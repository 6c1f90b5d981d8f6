/// Key texts for the WritCrypto tests: RFC 8032 and RFC 8410 vectors, and keys
/// made once with the `openssl` command line (an EC key, an encrypted key).

enum KeyFixtures {
    /// RFC 8032 section 7.1, TEST 1 (empty message).
    static let rfc8032Test1Secret = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
    static let rfc8032Test1Public = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
    static let rfc8032Test1Signature =
        "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"

    /// RFC 8032 section 7.1, TEST 2 (one-byte message 0x72).
    static let rfc8032Test2Secret = "4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"
    static let rfc8032Test2Public = "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"
    static let rfc8032Test2Signature =
        "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"

    /// RFC 8410 section 10.3: an Ed25519 private key in PKCS#8.
    static let rfc8410PrivatePEM = """
        -----BEGIN PRIVATE KEY-----
        MC4CAQAwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC
        -----END PRIVATE KEY-----

        """
    static let rfc8410Seed = "d4ee72dbf913584ad5b6d8f1f769f8ad3afe7c28cbf1d4fbe097a88f44755842"

    /// RFC 8410 section 10.1: the matching SubjectPublicKeyInfo.
    static let rfc8410PublicPEM = """
        -----BEGIN PUBLIC KEY-----
        MCowBQYDK2VwAyEAGb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=
        -----END PUBLIC KEY-----

        """
    static let rfc8410Public = "19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1"

    /// `openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256`.
    static let p256PrivatePEM = """
        -----BEGIN PRIVATE KEY-----
        MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgqkjl7ykAkL+yWy2R
        Df+Ajx4wh5Db8a4X1nLZSZGYSx+hRANCAAQ+oC2ZFov6tVlGFZzb3eMnhaqxMBjO
        ueljWolqqgIxDZlwgH22F6/jVePuUCMYvg1Vs8uqg97K/AKe0pVpiTHP
        -----END PRIVATE KEY-----

        """

    /// `openssl genpkey -algorithm ed25519 -aes-128-cbc -pass pass:secret`.
    static let encryptedPEM = """
        -----BEGIN ENCRYPTED PRIVATE KEY-----
        MIGbMFcGCSqGSIb3DQEFDTBKMCkGCSqGSIb3DQEFDDAcBAhYfbyPKrTknwICCAAw
        DAYIKoZIhvcNAgkFADAdBglghkgBZQMEAQIEEJgM9fPdyVBmFKtqdBk+M/8EQE8Y
        RPbbSSZ0nLuQyjYmTEqssgIv6tYq67vfOFR7CMQ08C41tW/JwVl40yO8J4CmEx1F
        sGfKD7PqgVXGe5yGJbk=
        -----END ENCRYPTED PRIVATE KEY-----

        """
}
