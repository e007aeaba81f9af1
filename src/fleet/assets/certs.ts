// Certificates of the simulated fleet, embedded so they ship inside dist/ (tsc copies no PEM files).
// Self-signed ECDSA P-256 (cheap handshakes for the 10,000-host bench), generated once with
// `openssl req -new -newkey ec -pkeyopt ec_paramgen_curve:prime256v1` and
// `openssl ca -selfsign -startdate … -enddate …` (backdated, so a slow clock does not make them
// "not yet valid"). The keys protect nothing: the fleet only listens on loopback.

export interface FleetCertificate {
  cert: string;
  key: string;
}

/** CN=mail.fleet.test, SANs mail.fleet.test, *.fleet.test, *.scale.fleet.test, fleet.test, localhost; 2025-01-01 → 2054-12-31. */
export const MAIN_CERT: FleetCertificate = {
  cert: `-----BEGIN CERTIFICATE-----
MIICGDCCAb+gAwIBAgICEAAwCgYIKoZIzj0EAwIwPjEYMBYGA1UEAwwPbWFpbC5m
bGVldC50ZXN0MSIwIAYDVQQKDBlvd2EtYXVkaXQgc2ltdWxhdGVkIGZsZWV0MCAX
DTI1MDEwMTAwMDAwMFoYDzIwNTQxMjMxMjM1OTU5WjA+MRgwFgYDVQQDDA9tYWls
LmZsZWV0LnRlc3QxIjAgBgNVBAoMGW93YS1hdWRpdCBzaW11bGF0ZWQgZmxlZXQw
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAARSRx/xGP+BCF70EapTp07FRkNFaCxw
EAF80HiU1kRig83v7kMtWu6UUvk1uPIVAtmOX+HUhQ3m6FW45ylILRJQo4GqMIGn
MFMGA1UdEQRMMEqCD21haWwuZmxlZXQudGVzdIIMKi5mbGVldC50ZXN0ghIqLnNj
YWxlLmZsZWV0LnRlc3SCCmZsZWV0LnRlc3SCCWxvY2FsaG9zdDAMBgNVHRMBAf8E
AjAAMA4GA1UdDwEB/wQEAwIHgDATBgNVHSUEDDAKBggrBgEFBQcDATAdBgNVHQ4E
FgQUun84LEH5vYqQk6mR8CZe0kk7MawwCgYIKoZIzj0EAwIDRwAwRAIgDLntlDEM
999OSCngSfghtHGei0k0fW433Wm1Dh4mFYkCICjRflVxyQpHGWfoabMGT/GxXMZV
qohntATeE67wDasi
-----END CERTIFICATE-----\n`,
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgdqSULEHKq6VJDUFs
4GdA/QD3D1syZ4hSHWMjP0zwJDOhRANCAARSRx/xGP+BCF70EapTp07FRkNFaCxw
EAF80HiU1kRig83v7kMtWu6UUvk1uPIVAtmOX+HUhQ3m6FW45ylILRJQ
-----END PRIVATE KEY-----\n`,
};

/** CN=legacy.fleet.test (O=Contoso Ltd), expired: 2015-01-01 → 2020-01-01. Gives one host different TLS facts. */
export const EXPIRED_CERT: FleetCertificate = {
  cert: `-----BEGIN CERTIFICATE-----
MIIB1jCCAXugAwIBAgICEAEwCgYIKoZIzj0EAwIwMjEaMBgGA1UEAwwRbGVnYWN5
LmZsZWV0LnRlc3QxFDASBgNVBAoMC0NvbnRvc28gTHRkMB4XDTE1MDEwMTAwMDAw
MFoXDTIwMDEwMTAwMDAwMFowMjEaMBgGA1UEAwwRbGVnYWN5LmZsZWV0LnRlc3Qx
FDASBgNVBAoMC0NvbnRvc28gTHRkMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
7Fp7H6CZNj18xRGCaqfUWOfTc2BgKC4u5aIqZ6xwFh3oQ4iZ+Ky+xp5uufISCsWa
J5k8kXkWSD1ine5RkwO7B6OBgDB+MCoGA1UdEQQjMCGCEWxlZ2FjeS5mbGVldC50
ZXN0ggwqLmZsZWV0LnRlc3QwDAYDVR0TAQH/BAIwADAOBgNVHQ8BAf8EBAMCB4Aw
EwYDVR0lBAwwCgYIKwYBBQUHAwEwHQYDVR0OBBYEFNB2vEZ/ej9x+Gg/4ax8KcGQ
C00iMAoGCCqGSM49BAMCA0kAMEYCIQC88zYdPe7rGtWmOVOno1rQ0Kozb9hKrH/l
znN3ipCm2QIhAMh2r7GJWxSUdTR4qW5xUAvArtAYKpnqvNKyaqYl1PEg
-----END CERTIFICATE-----\n`,
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgoMW4Wu/BTRuTs12z
SrayJGuW+Y0kTNvzvSVs4WEYHH2hRANCAATsWnsfoJk2PXzFEYJqp9RY59NzYGAo
Li7loipnrHAWHehDiJn4rL7Gnm658hIKxZonmTyReRZIPWKd7lGTA7sH
-----END PRIVATE KEY-----\n`,
};

/** Subject fields carrying markup, a template expression and a CSV formula (the hostile-markup host): reports must print them as text. */
export const HOSTILE_CERT: FleetCertificate = {
  cert: `-----BEGIN CERTIFICATE-----
MIIClzCCAjygAwIBAgICEAIwCgYIKoZIzj0EAwIwgYwxJTAjBgNVBAMMHDxzY3Jp
cHQ+YWxlcnQoJ2NuJyk8L3NjcmlwdD4xMTAvBgNVBAoMKCI+PGltZyBzcmM9eCBv
bmVycm9yPWFsZXJ0KCdvJyk+IHt7Nyo3fX0xMDAuBgNVBAsMJz1IWVBFUkxJTkso
Imh0dHBzOi8vZXZpbC5leGFtcGxlLyIsIngiKTAgFw0yNTAxMDEwMDAwMDBaGA8y
MDU0MTIzMTIzNTk1OVowgYwxJTAjBgNVBAMMHDxzY3JpcHQ+YWxlcnQoJ2NuJyk8
L3NjcmlwdD4xMTAvBgNVBAoMKCI+PGltZyBzcmM9eCBvbmVycm9yPWFsZXJ0KCdv
Jyk+IHt7Nyo3fX0xMDAuBgNVBAsMJz1IWVBFUkxJTksoImh0dHBzOi8vZXZpbC5l
eGFtcGxlLyIsIngiKTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABGiBOuIWSxxE
qrcecr98ZhXUQZxbKs+5hlMXbS4hJIcCBYVFC1wAGwp+6vGNp+SCcwybV/JU7DDX
utuEc5LPctujgYkwgYYwMgYDVR0RBCswKYIZaG9zdGlsZS1tYXJrdXAuZmxlZXQu
dGVzdIIMKi5mbGVldC50ZXN0MAwGA1UdEwEB/wQCMAAwDgYDVR0PAQH/BAQDAgeA
MBMGA1UdJQQMMAoGCCsGAQUFBwMBMB0GA1UdDgQWBBSpldo+BxqND1MmDmoIv78Z
bzHKkTAKBggqhkjOPQQDAgNJADBGAiEAoIvvC9UA8SAd4Rvf7onVhtujtEM/rS8s
atTKrgBFcMMCIQCjZghVQ8ZoY+5UbShZC6iqj3mWt44tsQ+wqAF8ne/W9w==
-----END CERTIFICATE-----\n`,
  key: `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgrrystO0WHSS/31D9
+13OWs8BI93EMikNK7rzRM+PdOWhRANCAARogTriFkscRKq3HnK/fGYV1EGcWyrP
uYZTF20uISSHAgWFRQtcABsKfurxjafkgnMMm1fyVOww17rbhHOSz3Lb
-----END PRIVATE KEY-----\n`,
};
