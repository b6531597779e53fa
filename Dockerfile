# The standalone gateway (`sessiongate serve`). Build from the repository root:
#   docker build -t sessiongate .
# Run (configuration through environment variables, see docs/configuration.md):
#   docker run --rm -p 8080:8080 \
#     -e SessionGate__Redis=redis:6379 \
#     -e ReverseProxy__Routes__api__ClusterId=api -e 'ReverseProxy__Routes__api__Match__Path=/api/{**rest}' \
#     -e ReverseProxy__Clusters__api__Destinations__d1__Address=http://api:8080/ \
#     sessiongate
# or mount an appsettings.json over /app/appsettings.json.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
# Restore first (cached while only sources change).
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/SessionGate/SessionGate.csproj src/SessionGate/
COPY src/SessionGate.Middleware/SessionGate.Middleware.csproj src/SessionGate.Middleware/
COPY src/SessionGate.Proxy/SessionGate.Proxy.csproj src/SessionGate.Proxy/
RUN dotnet restore src/SessionGate.Proxy/SessionGate.Proxy.csproj
COPY src/ src/
# The demo page's browser bundle, embedded by SessionGate.Middleware (built and committed in clients/js).
COPY clients/js/dist/ clients/js/dist/
RUN dotnet publish src/SessionGate.Proxy/SessionGate.Proxy.csproj --configuration Release --no-restore --output /app -p:UseAppHost=false

FROM mcr.microsoft.com/dotnet/aspnet:10.0 AS runtime
WORKDIR /app
COPY --from=build /app ./
# Listen on 8080 on every interface inside the container (override with ASPNETCORE_URLS or --urls).
ENV ASPNETCORE_HTTP_PORTS=8080
EXPOSE 8080
# The image's built-in non-root user.
USER $APP_UID
ENTRYPOINT ["dotnet", "sessiongate.dll", "serve"]
