/* COpenSSL: the parts of OpenSSL 3's libcrypto that WritCrypto uses
   (SHA-256 and Ed25519 through EVP, PEM/PKCS#8 key files, error queue). */
#include <openssl/opensslv.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/rand.h>
