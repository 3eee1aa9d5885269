# Homebrew formula for authflow, built from the tagged source archive.
# For each release: set `url` to the new tag's archive and `sha256` to its checksum
# (`curl -sL URL | shasum -a 256`); `brew audit --strict --new authflow` checks the rest.
class Authflow < Formula
  desc "OAuth 2.0 and OpenID Connect tokens for shells, scripts and CI"
  homepage "https://github.com/authflow/authflow"
  url "https://github.com/authflow/authflow/archive/refs/tags/v0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  license "Apache-2.0"
  head "https://github.com/authflow/authflow.git", branch: "main"

  depends_on xcode: ["16.0", :build]
  depends_on "pkgconf" => :build
  depends_on "libyaml"
  depends_on macos: :sonoma

  uses_from_macos "swift" => :build

  def install
    system "swift", "build", "--disable-sandbox", "-c", "release", "--product", "authflow"
    bin.install ".build/release/authflow"

    # The man page comes from the same command definitions, through swift-argument-parser's
    # generate-manual tool (its plugin would build the whole package a second time).
    system "swift", "build", "--disable-sandbox", "--package-path", ".build/checkouts/swift-argument-parser",
           "--scratch-path", ".build/tools", "--product", "generate-manual"
    system ".build/tools/debug/generate-manual", bin/"authflow", "--output-directory", buildpath/"man",
           "--authors", "the authflow authors"
    man1.install "man/authflow.1"

    generate_completions_from_executable(bin/"authflow", "--generate-completion-script")
  end

  test do
    assert_equal version.to_s, shell_output("#{bin}/authflow --version").strip

    (testpath/"authflow.yaml").write <<~YAML
      version: 1
      profiles:
        ci:
          domain: example.okta.com
          client: {id: 0oa1example}
          grant: client_credentials
    YAML
    system bin/"authflow", "validate", "--config", testpath/"authflow.yaml"

    # A profile file that is not valid YAML is refused with its position, not a crash.
    (testpath/"broken.yaml").write "version: 1\nprofiles: [\n"
    output = shell_output("#{bin}/authflow validate --config #{testpath}/broken.yaml 2>&1", 65)
    assert_match "broken.yaml:", output
  end
end
